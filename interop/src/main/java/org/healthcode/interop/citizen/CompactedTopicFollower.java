package org.healthcode.interop.citizen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest value per key of a small compacted topic the job publishes (the vehicles' case records, the
 * risk-area listings) in memory:
 * every partition is read from the beginning at start (read_committed, no consumer group: every replica needs all of
 * it), then followed; a tombstone removes the key. Small by construction (only vehicles that carried a case in the
 * look-back window; the listings a health commission publishes), so memory and a full read at start are the simple, honest choice over a RocksDB view.
 *
 * <p>A value that does not parse is logged and skipped (the key keeps no value), so one bad record cannot stop the
 * follower. {@link #caughtUp()} says whether it has read up to the topic's end as it was at start.
 */
public final class CompactedTopicFollower<V> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Function<String, V> parse;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, V> latest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean stopping;

    public CompactedTopicFollower(
            String bootstrapServers, KafkaClientSettings kafka, String topic, Function<String, V> parse) {
        this.topic = topic;
        this.parse = parse;
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "healthcode-follow-" + topic);
        // the job creates the topic compacted; a consumer's metadata request must not create it first with defaults
        p.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(kafka.with(p), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "follow-" + topic);
        this.thread.setDaemon(true);
    }

    public CompactedTopicFollower<V> start() {
        thread.start();
        return this;
    }

    /** The latest value of {@code key}, or null. */
    public V get(String key) {
        return latest.get(key);
    }

    /** Every key's latest value, as of now (a snapshot). */
    public java.util.List<V> values() {
        return List.copyOf(latest.values());
    }

    /** Whether everything committed on the topic when the follower started has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (!stopping && partitions.isEmpty()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                partitions = new ArrayList<>();
                for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
                    partitions.add(new TopicPartition(topic, i.partition()));
                }
                if (partitions.isEmpty()) {
                    Thread.sleep(500); // the job creates the topic; until then nothing carried a case
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    apply(r);
                }
                if (!caughtUp) {
                    boolean all = true;
                    for (TopicPartition tp : partitions) {
                        all &= consumer.position(tp) >= end.get(tp);
                    }
                    caughtUp = all;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.error("following {} stopped", topic, e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            latest.remove(key);
            return;
        }
        try {
            latest.put(key, parse.apply(new String(r.value(), StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            latest.remove(key);
            LOG.warn("{}: record of {} at offset {} skipped: {}", topic, key, r.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
