package org.healthcode.ingest.sinks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;

/**
 * Sends feed events to Kafka: topic = the feed's name (with an optional prefix), key = eventId, value = the
 * Protobuf {@code Event}. Idempotent producer (acks=all), so a retried send never duplicates a record.
 *
 * <p>The record timestamp is left to the producer (now), not set to the event time: a replayed 2022 scenario
 * with 2022 timestamps would be deleted by time-based retention at once. The job reads event time from the value.
 */
public final class FeedProducer implements CitySink {
    /** Protobuf garbage for demos: a length-delimited field 1 whose length runs past the end. */
    static final byte[] GARBAGE = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01, 0x02};

    private final Producer<byte[], byte[]> producer;
    private final String topicPrefix;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public FeedProducer(String bootstrapServers) {
        this(new KafkaProducer<>(properties(bootstrapServers)), "");
    }

    public FeedProducer(Producer<byte[], byte[]> producer, String topicPrefix) {
        this.producer = producer;
        this.topicPrefix = topicPrefix == null ? "" : topicPrefix;
    }

    public static Properties properties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "healthcode-feed-producer");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    public String topic(Feed feed) {
        return topicPrefix + feed.wireName();
    }

    @Override
    public void accept(Feed feed, Event event) throws IOException {
        send(feed, event.getEventId(), event.toByteArray());
    }

    @Override
    public void acceptGarbage(Feed feed, String key) throws IOException {
        send(feed, key, GARBAGE.clone());
    }

    private void send(Feed feed, String key, byte[] value) throws IOException {
        rethrow();
        producer.send(new ProducerRecord<>(topic(feed), key.getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
        rethrow();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private void rethrow() throws IOException {
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }
}
