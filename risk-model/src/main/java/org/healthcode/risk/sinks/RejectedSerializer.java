package org.healthcode.risk.sinks;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.decode.RejectedRecords;
import org.healthcode.risk.metrics.DomainMetrics;

/**
 * A rejected record for the {@code rejected} topic in ingest's Kafka form: the original bytes as the value, headers
 * {@code reason}, {@code category}, {@code field} (when known) and {@code source}.
 */
public class RejectedSerializer implements KafkaRecordSerializationSchema<Rejected> {
    private final String topic;
    private transient DomainMetrics.Labelled rejections;

    public RejectedSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        rejections = DomainMetrics.labelled(context.getMetricGroup(), "rejections", "topic", "category");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Rejected r, KafkaSinkContext context, Long timestamp) {
        if (rejections != null) {
            rejections.inc(r.topic(), r.category());
        }
        return RejectedRecords.toProducerRecord(topic, r);
    }
}
