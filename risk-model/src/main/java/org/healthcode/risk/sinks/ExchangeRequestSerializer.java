package org.healthcode.risk.sinks;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.risk.crossregion.ExchangeRequest;
import org.healthcode.risk.crossregion.ExchangeRequestJson;
import org.healthcode.risk.metrics.DomainMetrics;

/** An exchange request on {@code exchange-out}: key = target region, value = the notice JSON of docs/interop.md. */
public class ExchangeRequestSerializer implements KafkaRecordSerializationSchema<ExchangeRequest> {
    private final String topic;
    private transient org.apache.flink.metrics.Counter requests;

    public ExchangeRequestSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        requests = DomainMetrics.group(context.getMetricGroup()).counter("exchangeRequests");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ExchangeRequest r, KafkaSinkContext context, Long timestamp) {
        if (requests != null) {
            requests.inc();
        }
        return new ProducerRecord<>(
                topic,
                r.toRegion().getBytes(StandardCharsets.UTF_8),
                ExchangeRequestJson.toJson(r).getBytes(StandardCharsets.UTF_8));
    }
}
