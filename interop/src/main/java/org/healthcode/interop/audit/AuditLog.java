package org.healthcode.interop.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.metrics.FollowerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code audit} topic materialised for queries: every record indexed by subject and by caller in a RocksDB
 * {@link AuditIndex} under the serving process's data directory, with the topic positions in the same batch; a
 * restart reads on from there (every partition assigned by hand, no consumer group: the position belongs to the
 * index). Committed records only. Queries answer the latest {@value #PER_KEY} records of a subject or caller.
 *
 * <p>The topic stays the record of truth (append-only; give it a long retention); the index can be deleted and
 * rebuilt from it.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    static final int PER_KEY = 1000;
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AuditIndex index;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private final FollowerState state;
    private volatile boolean stopping;
    private volatile long recordsRead;

    /** Follows {@code topic} into the index in {@code indexDir} (created when missing). */
    public AuditLog(String bootstrapServers, String topic, java.nio.file.Path indexDir) throws Exception {
        this(
                bootstrapServers,
                KafkaClientSettings.NONE,
                topic,
                indexDir,
                new FollowerState("audit", java.time.Clock.systemUTC()));
    }

    /**
     * As above, with the client settings of {@code --kafka-config}, reporting whether it keeps up in {@code state}.
     */
    public AuditLog(
            String bootstrapServers,
            KafkaClientSettings kafka,
            String topic,
            java.nio.file.Path indexDir,
            FollowerState state)
            throws Exception {
        this.topic = topic;
        this.state = state;
        this.index = AuditIndex.open(indexDir);
        Properties c = kafka.properties();
        c.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the risk job writes its records in transactions: a record of an aborted one (a decision the job takes
        // again after a restart) is not part of the trail. A record waits here until the transactions open before it
        // on its partition end (a checkpoint of the job).
        c.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // one fetch per 64 KiB of records or 100 ms, not one per few records: the index need not be fresh to the
        // millisecond, and every lookup writes a record
        c.setProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024));
        c.setProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        // bytes in, bytes stored: the record's JSON is parsed once, by a streaming parser, for the index keys only
        c.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        this.thread = new Thread(this::run, "audit-log");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Reads until closed. Every {@link #REFRESH} it asks the broker for the topic's partitions (a request each
     * time, so it also notices a broker it cannot reach); a Kafka failure is retried with backoff, and the positions
     * are then taken again from the index, so nothing is skipped or indexed twice.
     */
    private void run() {
        FollowerState.Backoff backoff = new FollowerState.Backoff(MAX_BACKOFF);
        List<TopicPartition> assigned = List.of();
        long nextRefresh = 0;
        while (!stopping) {
            try {
                if (System.currentTimeMillis() >= nextRefresh) {
                    List<TopicPartition> all = new ArrayList<>();
                    consumer.listTopics(REQUEST_TIMEOUT)
                            .getOrDefault(topic, List.of())
                            .forEach(p -> all.add(new TopicPartition(topic, p.partition())));
                    if (all.size() != assigned.size()) {
                        consumer.assign(all);
                        Map<Integer, Long> stored = index.positions();
                        for (TopicPartition tp : all) {
                            if (!assigned.contains(tp)) {
                                Long at = stored.get(tp.partition());
                                if (at == null) {
                                    consumer.seekToBeginning(List.of(tp));
                                } else {
                                    consumer.seek(tp, at);
                                }
                            }
                        }
                        assigned = all;
                    }
                    nextRefresh = System.currentTimeMillis() + REFRESH.toMillis();
                    if (state.ok()) {
                        LOG.info("audit log follows {} again", topic);
                    }
                    backoff.reset();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                List<AuditIndex.Entry> entries = new ArrayList<>();
                Map<Integer, Long> next = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        entries.add(AuditIndex.Entry.of(r.value(), r.partition(), r.offset()));
                    } catch (Exception e) {
                        LOG.warn(
                                "skipping an audit record that does not parse at {}-{}@{}",
                                r.topic(),
                                r.partition(),
                                r.offset());
                    }
                    next.put(r.partition(), r.offset() + 1);
                }
                if (!next.isEmpty()) {
                    index.add(entries, next);
                    recordsRead += entries.size();
                }
            } catch (WakeupException | InterruptedException e) {
                break; // closing
            } catch (KafkaException e) {
                if (stopping) {
                    break;
                }
                Duration wait = backoff.next();
                if (state.failing(e.toString())) {
                    LOG.error(
                            "audit log cannot follow {} ({}); retrying, the index answers what it holds",
                            topic,
                            e.toString());
                }
                assigned = List.of(); // positions from the index again once Kafka answers
                nextRefresh = 0;
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    break;
                }
            } catch (Exception e) {
                state.failing(e.toString());
                LOG.error("audit log stopped following {}: its index failed", topic, e);
                break;
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    /** The records about {@code subject}, oldest first. */
    public List<AuditRecord> aboutSubject(String subject) {
        return parse(index.latestAboutSubject(subject, PER_KEY));
    }

    /** A page of a subject's records, newest first, and the cursor of the next older page (null: none). */
    public record Page(List<AuditRecord> records, String next) {}

    /**
     * The records about {@code subject}, {@value #PER_KEY} per page, newest first, from just before the cursor
     * {@code before} (null: the newest): a person can page back through every lookup of them, so no volume of later
     * records hides an earlier one.
     */
    public Page aboutSubject(String subject, String before) {
        byte[] cursor = before == null ? null : java.util.Base64.getUrlDecoder().decode(before);
        AuditIndex.Page page = index.pageAboutSubject(subject, cursor, PER_KEY);
        return new Page(
                parse(page.values()),
                page.next() == null
                        ? null
                        : java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(page.next()));
    }

    /** The records about {@code subject} stamped at or after {@code from}, oldest first, as the topic carries them. */
    public List<byte[]> recordsAboutSince(String subject, java.time.Instant from) {
        return index.aboutSubjectSince(subject, from.toEpochMilli());
    }

    /** The records of {@code caller}'s requests, oldest first. */
    public List<AuditRecord> byCaller(String caller) {
        return parse(index.latestByCaller(caller, PER_KEY));
    }

    /** Records indexed by this process since it started (not counting what the index held before). */
    public long recordsRead() {
        return recordsRead;
    }

    private static List<AuditRecord> parse(List<byte[]> values) {
        List<AuditRecord> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            try {
                out.add(AuditRecord.fromJsonBytes(v));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("an indexed audit record does not parse", e);
            }
        }
        return out;
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        index.close();
    }
}
