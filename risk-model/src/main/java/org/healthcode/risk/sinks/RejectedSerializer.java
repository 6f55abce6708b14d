package org.healthcode.risk.sinks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.healthcode.ingest.decode.Rejected;

/**
 * A rejected record for the {@code rejected} topic: the original bytes as the value, and headers {@code reason},
 * {@code category}, {@code field} (when known) and {@code source} (topic/partition@offset or line number).
 */
public class RejectedSerializer implements KafkaRecordSerializationSchema<Rejected> {
    private final String topic;

    public RejectedSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Rejected r, KafkaSinkContext context, Long timestamp) {
        List<Header> headers = new ArrayList<>(4);
        headers.add(header("reason", r.reason()));
        headers.add(header("category", r.category()));
        if (r.field() != null) {
            headers.add(header("field", r.field()));
        }
        headers.add(header("source", r.source()));
        return new ProducerRecord<>(topic, null, null, null, r.raw(), headers);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }
}
