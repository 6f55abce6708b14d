package org.healthcode.risk.sinks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.metrics.DomainMetrics;

/**
 * An audit record on the {@code audit} topic: key = requestId (so one request's history stays in order in one
 * partition; the event id when unreadable), value = the JSON line of {@link AuditJson}, timestamp = event time.
 */
public class AuditSerializer implements KafkaRecordSerializationSchema<AuditRecord> {
    private final String topic;
    private transient DomainMetrics.Labelled decisions;

    public AuditSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        decisions = DomainMetrics.labelled(context.getMetricGroup(), "overrideDecisions", "action", "outcome");
        for (String action : List.of("request", "approval", "refusal", "withdrawal")) {
            decisions.register(action, AuditRecord.ACCEPTED).register(action, AuditRecord.REFUSED);
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AuditRecord a, KafkaSinkContext context, Long timestamp) {
        if (decisions != null) {
            decisions.inc(a.action(), a.outcome());
        }
        String key = a.requestId() != null ? a.requestId() : a.eventId();
        return new ProducerRecord<>(
                topic,
                null,
                a.timeMs() > 0 ? a.timeMs() : null,
                key.getBytes(StandardCharsets.UTF_8),
                AuditJson.toLine(a).getBytes(StandardCharsets.UTF_8));
    }
}
