package org.healthcode.risk.sinks;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.metrics.DomainMetrics;

/** A status change as a record of the compacted {@code status} topic: key = personId, value = StatusRecord. */
public class StatusSerializer implements KafkaRecordSerializationSchema<StatusChange> {
    private final String topic;
    private transient DomainMetrics.Labelled statuses;

    public StatusSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        statuses = DomainMetrics.labelled(context.getMetricGroup(), "statuses", "colour");
        for (String colour : List.of("green", "yellow", "red")) {
            statuses.register(colour);
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(StatusChange s, KafkaSinkContext context, Long timestamp) {
        if (statuses != null) {
            statuses.inc(s.colour());
        }
        return new ProducerRecord<>(
                topic,
                null,
                s.effectiveMs(),
                s.personId().getBytes(StandardCharsets.UTF_8),
                StatusRecords.toProto(s).toByteArray());
    }
}
