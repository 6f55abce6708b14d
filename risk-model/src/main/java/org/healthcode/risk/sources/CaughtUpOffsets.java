package org.healthcode.risk.sources;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/**
 * Whether a Kafka source's partitions have been read up to their end, for {@link IdleWhenCaughtUp}: the last stable
 * offset of every partition of the source's topics (what a read_committed reader can reach), the group's committed
 * offsets and the partitions' first offsets, fetched from the broker by a background thread, never on a task thread.
 * One per source (bootstrap servers, group, topics) and JVM, shared by the subtasks' watermark generators; the thread
 * runs while generators ask and stops a while after they stop asking.
 */
public final class CaughtUpOffsets {
    /**
     * Offsets a partition may lie behind its last stable offset and still count as read to the end: the marker a
     * committed transaction leaves after its last record.
     */
    static final long MARKERS = 1;

    /** How often the offsets are fetched while generators ask. */
    private static final long REFRESH_MS = 300;

    /** A partition whose records reached a generator this recently is that generator's to judge. */
    private static final long SEEN_FOR_MS = 30_000;

    /** With nobody asking this long, the thread stops (it starts again on the next question). */
    private static final long IDLE_STOP_MS = 30_000;

    private static final Map<Source, CaughtUpOffsets> BY_SOURCE = new ConcurrentHashMap<>();

    /** Which source: travels with the watermark strategy to the task managers. */
    public record Source(String bootstrapServers, KafkaClientSettings kafka, String groupId, List<String> topics)
            implements Serializable {}

    private final Source source;
    private final Map<TopicPartition, Long> seenAt = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Long> ends = Map.of();
    private volatile Map<TopicPartition, Long> starts = Map.of();
    private volatile long askedAt;
    private Thread refresher;

    private CaughtUpOffsets(Source source) {
        this.source = source;
    }

    public static CaughtUpOffsets of(Source source) {
        return BY_SOURCE.computeIfAbsent(source, CaughtUpOffsets::new);
    }

    /** A generator got a record of {@code tp}. */
    void seen(TopicPartition tp) {
        seenAt.put(tp, System.currentTimeMillis());
    }

    /** True once a record at {@code lastOffset} is the last committed one of {@code tp}, as of the last fetch. */
    boolean caughtUp(TopicPartition tp, long lastOffset) {
        asked();
        Long end = ends.get(tp);
        return end != null && lastOffset + 1 + MARKERS >= end;
    }

    /**
     * For a generator that has had no record yet (it does not know its partition), created at {@code createdAt}
     * (epoch ms): true when every partition of the source that no other generator is reading has nothing to read from
     * where the group starts (its committed offset, else the partition's first offset). A partition with a backlog
     * that no generator has reached yet keeps every such generator from going idle: it may be this one's.
     *
     * <p>Only a record seen after {@code createdAt} shows that another generator reads a partition. One seen before
     * may have reached a generator of an earlier attempt of the job in this JVM (the task restarted after a failure
     * and restored older offsets): that partition may be this generator's own, with a backlog.
     */
    boolean unseenCaughtUp(long createdAt) {
        asked();
        Map<TopicPartition, Long> e = ends;
        Map<TopicPartition, Long> s = starts;
        if (e.isEmpty()) {
            return false;
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<TopicPartition, Long> end : e.entrySet()) {
            Long seen = seenAt.get(end.getKey());
            if (seen != null && seen > createdAt && now - seen < SEEN_FOR_MS) {
                continue;
            }
            Long start = s.get(end.getKey());
            if (start == null || start + MARKERS < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private synchronized void asked() {
        askedAt = System.currentTimeMillis();
        if (refresher == null) {
            refresher = new Thread(this::refreshWhileAsked, "caught-up-offsets " + source.topics());
            refresher.setDaemon(true);
            refresher.start();
        }
    }

    private void refreshWhileAsked() {
        Properties p = source.kafka().properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, source.groupId() + "-caught-up");
        try (Admin admin = Admin.create(p)) {
            while (true) {
                synchronized (this) {
                    if (System.currentTimeMillis() - askedAt > IDLE_STOP_MS) {
                        refresher = null;
                        return;
                    }
                }
                try {
                    refresh(admin);
                } catch (Exception e) {
                    // the broker is away: keep the last answer (nothing new can be read either) and try again
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
                Thread.sleep(REFRESH_MS);
            }
        } catch (InterruptedException e) {
            synchronized (this) {
                refresher = null;
            }
        }
    }

    private void refresh(Admin admin) throws Exception {
        Map<String, TopicDescription> topics =
                admin.describeTopics(source.topics()).allTopicNames().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicDescription d : topics.values()) {
            for (TopicPartitionInfo info : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), info.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }
        }
        ListOffsetsOptions committedOnly = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> newEnds = new HashMap<>();
        admin.listOffsets(latest, committedOnly)
                .all()
                .get(10, TimeUnit.SECONDS)
                .forEach((tp, info) -> newEnds.put(tp, info.offset()));
        Map<TopicPartition, Long> newStarts = new HashMap<>();
        admin.listOffsets(earliest, committedOnly)
                .all()
                .get(10, TimeUnit.SECONDS)
                .forEach((tp, info) -> newStarts.put(tp, info.offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(source.groupId())
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        committed.forEach((tp, o) -> {
            if (o != null && newStarts.containsKey(tp)) {
                newStarts.put(tp, Math.max(newStarts.get(tp), o.offset()));
            }
        });
        starts = newStarts;
        ends = newEnds;
    }
}
