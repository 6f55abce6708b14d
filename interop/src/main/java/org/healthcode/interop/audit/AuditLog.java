package org.healthcode.interop.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code audit} topic materialised for queries: the latest {@value #PER_KEY} records per subject and per caller,
 * read from the start of the topic at every start (every partition, no consumer group).
 *
 * <p>Trade-off: held in memory and rebuilt from the topic, which stays the record of truth (append-only; give it a
 * long retention). Good for a city's operators; a province wants it in RocksDB or a search index, the next step.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    static final int PER_KEY = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Deque<AuditRecord>> bySubject = new ConcurrentHashMap<>();
    private final Map<String, Deque<AuditRecord>> byCaller = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long recordsRead;

    public AuditLog(String bootstrapServers, String topic) {
        this.topic = topic;
        Properties c = new Properties();
        c.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        this.thread = new Thread(this::run, "audit-log");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> assigned = List.of();
            long nextRefresh = 0;
            while (!stopping) {
                if (System.currentTimeMillis() >= nextRefresh) {
                    List<TopicPartition> all = new ArrayList<>();
                    consumer.partitionsFor(topic, Duration.ofSeconds(5))
                            .forEach(p -> all.add(new TopicPartition(topic, p.partition())));
                    if (all.size() != assigned.size()) {
                        consumer.assign(all);
                        for (TopicPartition tp : all) {
                            if (!assigned.contains(tp)) {
                                consumer.seekToBeginning(List.of(tp));
                            }
                        }
                        assigned = all;
                    }
                    nextRefresh = System.currentTimeMillis() + 5_000;
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        add(AuditRecord.fromJson(JSON.readTree(r.value())));
                    } catch (Exception e) {
                        LOG.warn("skipping an audit record that does not parse at {}-{}@{}", r.topic(), r.partition(),
                                r.offset());
                    }
                    recordsRead++;
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("audit log stopped following {}", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void add(AuditRecord r) {
        if (r.subject() != null) {
            append(bySubject, r.subject(), r);
        }
        append(byCaller, r.caller(), r);
    }

    private static void append(Map<String, Deque<AuditRecord>> index, String key, AuditRecord r) {
        Deque<AuditRecord> d = index.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(r);
            if (d.size() > PER_KEY) {
                d.removeFirst();
            }
        }
    }

    /** The records about {@code subject}, oldest first. */
    public List<AuditRecord> aboutSubject(String subject) {
        return copy(bySubject.get(subject));
    }

    /** The records of {@code caller}'s requests, oldest first. */
    public List<AuditRecord> byCaller(String caller) {
        return copy(byCaller.get(caller));
    }

    public long recordsRead() {
        return recordsRead;
    }

    private static List<AuditRecord> copy(Deque<AuditRecord> d) {
        if (d == null) {
            return List.of();
        }
        synchronized (d) {
            return List.copyOf(d);
        }
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
    }
}
