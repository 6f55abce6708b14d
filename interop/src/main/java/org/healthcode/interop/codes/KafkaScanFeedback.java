package org.healthcode.interop.codes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.sinks.FeedProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends checkpoint scans to the venue topic as ingest's feed producers do (key = eventId, value = the Protobuf
 * Event, idempotent, acks=all), so the job reads them like any venue feed.
 */
public final class KafkaScanFeedback implements ScanFeedback {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaScanFeedback.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicLong failed = new AtomicLong();

    public KafkaScanFeedback(String bootstrapServers, String topic) {
        this(bootstrapServers, KafkaClientSettings.NONE, topic);
    }

    /** As above, with the client settings of {@code --kafka-config}. */
    public KafkaScanFeedback(String bootstrapServers, KafkaClientSettings kafka, String topic) {
        Properties p = kafka.with(FeedProducer.properties(bootstrapServers));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "healthcode-checkpoint-scans");
        // a scan is small and a checkpoint waits for nothing from Kafka: send promptly rather than batch
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a verification must not hang on Kafka: without the topic's metadata (topic missing, broker away) give up
        // after 2 s (the send fails and is counted) instead of the producer's default 60 s per request
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        this.producer = new KafkaProducer<>(p);
        this.topic = topic;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void send(Event event) {
        producer.send(
                new ProducerRecord<>(topic, event.getEventId().getBytes(StandardCharsets.UTF_8), event.toByteArray()),
                (meta, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                        LOG.warn("scan event {} not delivered to {}: {}", event.getEventId(), topic, e.toString());
                    }
                });
    }

    /** Scan events whose delivery failed. */
    public long failedSends() {
        return failed.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
