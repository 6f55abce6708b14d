package org.healthcode.interop.sources;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.metrics.FollowerState;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.store.StatusView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link StatusView} up to date from the {@code status} topic, reading only committed transactions.
 *
 * <p>Positions live in the view, not in a consumer group: each poll's changes and the positions after them are
 * written in one RocksDB batch, and on start every partition is assigned by hand and sought to its stored position
 * (from the beginning when none is stored). Why not group offsets:
 * <ul>
 *   <li>a Kafka offset commit and a RocksDB write cannot be one atomic step; a crash between them would either skip
 *       records (offset first) or re-apply them; with both in one batch neither happens;</li>
 *   <li>every serving replica needs the whole topic, not a group's share of its partitions;</li>
 *   <li>the position belongs to the data: a fresh (or deleted) view directory must start from the beginning, which
 *       a group offset left behind by an earlier view would prevent.</li>
 * </ul>
 * New partitions of the topic are picked up within {@link #PARTITION_REFRESH}.
 */
public final class StatusConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(10);
    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How often the topic's end is asked for, to learn how current the view is. */
    private static final Duration FRESHNESS_PROBE = Duration.ofMillis(500);

    private final String topic;
    private final StatusView view;
    private final ServingMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final FollowerState state;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Map<TopicPartition, Long> persisted = new HashMap<>();
    private volatile int assignedPartitions;
    private volatile boolean running;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private final long startedNanos = System.nanoTime();
    /** The view holds every status committed before this instant ({@link System#nanoTime}); -1: not yet known. */
    private volatile long currentAsOfNanos = -1;
    /** The topic's end offsets asked for at {@link #probeNanos}; null while no probe is pending. */
    private Map<TopicPartition, Long> probe;

    private long probeNanos = System.nanoTime() - FRESHNESS_PROBE.toNanos();

    public StatusConsumer(String bootstrapServers, String topic, StatusView view, ServingMetrics metrics) {
        this(bootstrapServers, KafkaClientSettings.NONE, topic, view, metrics);
    }

    /** As above, with the client settings of {@code --kafka-config}. */
    public StatusConsumer(
            String bootstrapServers, KafkaClientSettings kafka, String topic, StatusView view, ServingMetrics metrics) {
        this.topic = topic;
        this.view = view;
        this.metrics = metrics;
        this.state = metrics.follower("status");
        Properties p = kafka.properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "healthcode-serving-" + topic);
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "status-consumer");
    }

    /** Starts reading in a thread of its own. */
    public void start() {
        running = true;
        thread.start();
    }

    /** Waits until the topic's partitions are assigned and positioned; false if that did not happen in time. */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Partitions of the topic being followed; 0 while the topic does not exist. */
    public int assignedPartitions() {
        return assignedPartitions;
    }

    /**
     * True while the read loop runs: it stops on close or on a failure of the view; a Kafka failure (a broker
     * outage) is retried with backoff, with {@link FollowerState} of {@code status} down meanwhile.
     */
    public boolean isRunning() {
        return running;
    }

    /** Why the read loop stopped, if it failed. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        long nextPartitionCheck = 0;
        long nextLagCheck = 0;
        FollowerState.Backoff backoff = new FollowerState.Backoff(MAX_BACKOFF);
        try {
            while (!stopping) {
                try {
                    long now = System.nanoTime();
                    if (now - nextPartitionCheck >= 0) {
                        assignNewPartitions();
                        nextPartitionCheck = now + PARTITION_REFRESH.toNanos();
                        if (state.ok()) {
                            LOG.info("the status consumer reads {} again", topic);
                        }
                        backoff.reset();
                    }
                    if (consumer.assignment().isEmpty()) {
                        // the topic does not exist yet (the broker said so just now): nothing to be behind on
                        currentAsOfNanos = now;
                        Thread.sleep(POLL.toMillis());
                        nextPartitionCheck = Math.min(nextPartitionCheck, System.nanoTime() + POLL.toNanos() * 5);
                        continue;
                    }
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    applyAndPersist(records);
                    trackFreshness();
                    if (System.nanoTime() - nextLagCheck >= 0) {
                        updateLag();
                        nextLagCheck = System.nanoTime() + LAG_REFRESH.toNanos();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    if (stopping) {
                        break;
                    }
                    Duration wait = backoff.next();
                    if (state.failing(e.toString())) {
                        LOG.error(
                                "the status consumer cannot read {} ({}); retrying, the view answers what it"
                                        + " holds",
                                topic,
                                e.toString());
                    }
                    // positions from the view again once Kafka answers: nothing skipped, nothing applied twice
                    consumer.assign(List.of());
                    persisted.clear();
                    probe = null;
                    nextPartitionCheck = System.nanoTime();
                    Thread.sleep(wait.toMillis());
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
                state.failing(t.toString());
                LOG.error("the status consumer stopped: the view no longer follows the topic", t);
            }
        } finally {
            running = false;
        }
    }

    private void assignNewPartitions() throws Exception {
        // a request to the broker every time (partitionsFor would answer from its cache): a broker that cannot be
        // reached shows here
        List<PartitionInfo> infos = consumer.listTopics(REQUEST_TIMEOUT).get(topic);
        if (infos == null || infos.isEmpty()) {
            return;
        }
        Set<TopicPartition> current = consumer.assignment();
        List<TopicPartition> all = new ArrayList<>();
        Set<TopicPartition> added = new HashSet<>();
        for (PartitionInfo info : infos) {
            TopicPartition tp = new TopicPartition(topic, info.partition());
            all.add(tp);
            if (!current.contains(tp)) {
                added.add(tp);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        consumer.assign(all);
        assignedPartitions = all.size();
        Map<TopicPartition, Long> stored = view.storedOffsets(topic);
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : added) {
            Long offset = stored.get(tp);
            if (offset == null) {
                fromStart.add(tp);
            } else {
                consumer.seek(tp, offset);
                persisted.put(tp, offset);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
        LOG.info(
                "reading {} partitions of {} (resumed {} from stored positions)",
                all.size(),
                topic,
                added.size() - fromStart.size());
        assigned.countDown();
    }

    private void applyAndPersist(ConsumerRecords<byte[], byte[]> records) throws Exception {
        List<StatusView.Change> changes = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.key() == null) {
                metrics.recordMalformed(1); // the topic is keyed by person: without a key there is nobody to update
                continue;
            }
            changes.add(new StatusView.Change(new String(r.key(), StandardCharsets.UTF_8), r.value()));
        }
        // Positions can move without records (transaction markers, aborted records): persist those too, so a
        // restart does not walk over them again. position() is local once the partition has been fetched.
        Map<TopicPartition, Long> moved = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            Long before = persisted.get(tp);
            if (before == null || before != position) {
                moved.put(tp, position);
            }
        }
        if (changes.isEmpty() && moved.isEmpty()) {
            return;
        }
        StatusView.ApplyResult result = view.apply(changes, moved);
        persisted.putAll(moved);
        metrics.recordRead(records.count());
        metrics.recordApplied(result);
    }

    /**
     * How old the view is: the time since the last instant of which it is known to hold every committed status (0
     * when it just caught up with the topic's end; growing while the broker cannot be reached, the consumer stopped
     * or falls behind). Before it first caught up: the time since this consumer started.
     */
    public long viewAgeMillis() {
        long asOf = currentAsOfNanos;
        return Math.max(0, (System.nanoTime() - (asOf < 0 ? startedNanos : asOf)) / 1_000_000);
    }

    /**
     * Asks the broker for the topic's end offsets (the last stable ones: read_committed) every
     * {@link #FRESHNESS_PROBE}; once the view's positions reach the end of a probe, the view holds everything
     * committed before the probe was sent. A probe that fails ends in the loop's retry: no new instant is learned,
     * so the age grows.
     */
    private void trackFreshness() {
        long now = System.nanoTime();
        if (probe == null && now - probeNanos >= FRESHNESS_PROBE.toNanos()) {
            probe = consumer.endOffsets(consumer.assignment(), REQUEST_TIMEOUT);
            probeNanos = now;
        }
        if (probe != null && reached(probe)) {
            currentAsOfNanos = probeNanos;
            probe = null;
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.assignment().contains(e.getKey()) && consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void updateLag() {
        long total = 0;
        List<TopicPartition> unknown = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp); // from the last fetch: no request to the broker
            if (lag.isPresent()) {
                total += lag.getAsLong();
            } else {
                unknown.add(tp);
            }
        }
        if (!unknown.isEmpty()) {
            // read_committed: end offsets are the last stable offsets, what this consumer can reach
            Map<TopicPartition, Long> ends = consumer.endOffsets(unknown, Duration.ofSeconds(5));
            for (TopicPartition tp : unknown) {
                total += Math.max(0, ends.getOrDefault(tp, 0L) - consumer.position(tp));
            }
        }
        metrics.setConsumerLag(total);
    }

    /** Stops reading, waits for the loop to end and closes the Kafka consumer. Idempotent. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            try {
                consumer.close();
            } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                // already closed
            }
        }
    }
}
