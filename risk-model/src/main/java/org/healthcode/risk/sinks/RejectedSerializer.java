package org.healthcode.risk.sinks;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.decode.RejectedRecords;

/**
 * A rejected record for the {@code rejected} topic in ingest's Kafka form: the original bytes as the value, headers
 * {@code reason}, {@code category}, {@code field} (when known) and {@code source}.
 */
public class RejectedSerializer implements KafkaRecordSerializationSchema<Rejected> {
    private final String topic;

    public RejectedSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Rejected r, KafkaSinkContext context, Long timestamp) {
        return RejectedRecords.toProducerRecord(topic, r);
    }
}
