package org.healthcode.risk.sources;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;
import org.healthcode.risk.metrics.DomainMetrics;

/**
 * Decodes Kafka feed records (Protobuf) inside the source, keeping topic/partition/offset, so timestamps and
 * watermarks are assigned per partition by the source itself. Never throws: bad records become rejections.
 *
 * <p>Metrics per feed topic ({@link DomainMetrics}): {@code events} read, and {@code eventTimeLagMs}, the wall clock
 * minus the newest event time read from the topic by this parallel source: it grows while a feed is quiet or behind.
 */
public class FeedDeserializer implements KafkaRecordDeserializationSchema<FeedRecord> {
    private final EventDecoder decoder;

    private transient MetricGroup metrics;
    private transient Map<String, FeedMetrics> byTopic;

    public FeedDeserializer(EventDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        metrics = DomainMetrics.group(context.getMetricGroup());
        byTopic = new HashMap<>();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<FeedRecord> out) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        FeedRecord r = FeedRecord.ofKafka(
                decoder.decodeProto(value, record.topic(), record.partition(), record.offset()),
                record.topic(),
                record.partition(),
                record.offset(),
                value);
        if (byTopic != null) {
            byTopic.computeIfAbsent(
                            record.topic(),
                            t -> DomainMetrics.once(metrics.addGroup("feed", t), "events", FeedMetrics::new))
                    .read(r.isEvent() ? r.event().time() : Long.MIN_VALUE);
        }
        out.collect(r);
    }

    @Override
    public TypeInformation<FeedRecord> getProducedType() {
        return FeedRecordSerializer.TYPE;
    }

    /** One feed topic's counter and event-time lag gauge. */
    private static final class FeedMetrics {
        private final Counter events;
        private volatile long newestEventTime = Long.MIN_VALUE;

        FeedMetrics(MetricGroup group) {
            events = group.counter("events");
            group.gauge("eventTimeLagMs", (Gauge<Long>) () -> {
                long newest = newestEventTime;
                return newest == Long.MIN_VALUE ? 0L : System.currentTimeMillis() - newest;
            });
        }

        void read(long eventTime) {
            events.inc();
            if (eventTime > newestEventTime) {
                newestEventTime = eventTime;
            }
        }
    }
}
