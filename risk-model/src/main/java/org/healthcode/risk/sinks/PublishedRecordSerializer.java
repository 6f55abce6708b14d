package org.healthcode.risk.sinks;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.risk.events.PublishedRecord;

/** A published record as a record of its compacted topic: key UTF-8, value the JSON in UTF-8, or null (tombstone). */
public class PublishedRecordSerializer implements KafkaRecordSerializationSchema<PublishedRecord> {
    private final String topic;

    public PublishedRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(PublishedRecord r, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                r.key().getBytes(StandardCharsets.UTF_8),
                r.json() == null ? null : r.json().getBytes(StandardCharsets.UTF_8));
    }
}
