package org.healthcode.contracts.topics;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every Kafka topic of a region, who writes it, who reads it and how it is set up: the one list the job, the serving
 * process, the hub, the demo and {@code deploy/kafka/topics.yaml} follow (a test compares that file with this list).
 *
 * <p>The authorities' feed topics ({@link Origin#AUTHORITY}) belong to whoever runs ingest: the job checks they exist
 * before it starts and refuses to start without them. The engine's own topics ({@link Origin#ENGINE}) are created by
 * the process that first needs them ({@link #newTopic}): an ordered topic with one partition, a compacted one
 * compacted, and otherwise with the partitions the process asks for (the demo's two) or the cluster's default;
 * replication and retention are the cluster's defaults. {@link Topic#partitions()} and {@link Topic#retention()} are the
 * production settings, which deploy/kafka applies.
 */
public final class TopicCatalogue {
    /** Who creates a topic. */
    public enum Origin {
        /** A feed of an authority (health commission, police, carriers, ...); created with the producers. */
        AUTHORITY,
        /** Written by the engine's own processes; created by whichever needs it first. */
        ENGINE
    }

    /** A process (or people) that writes or reads topics. */
    public enum Party {
        /** The authorities' systems that produce the feeds (named in each feed topic's {@link Topic#note()}). */
        AUTHORITIES,
        /** People: operators with their tools (override requests, rule sets, rejected records). */
        OPERATORS,
        /** The Flink risk job. */
        RISK_JOB,
        /** The serving process: lookups, codes, audit, exchange. */
        SERVING,
        /** The national trust-list hub. */
        HUB
    }

    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    /**
     * One topic.
     *
     * @param name the topic's name (without a region's prefix)
     * @param origin who creates it
     * @param partitions its partitions on a production cluster
     * @param ordered one partition everywhere, because its readers need its records in write order
     * @param compacted log compaction (latest value per key) instead of time-based deletion
     * @param retention how long records are kept on a production cluster; null: for ever (or compacted)
     * @param writers who writes it
     * @param readers who reads it
     * @param note who exactly, where the parties say too little
     */
    public record Topic(
            String name,
            Origin origin,
            int partitions,
            boolean ordered,
            boolean compacted,
            Duration retention,
            Set<Party> writers,
            Set<Party> readers,
            String note) {
        /** One partition, because its readers need its records in write order. */
        public boolean singlePartition() {
            return ordered;
        }

        /** Whether {@code party} writes or reads this topic. */
        public boolean usedBy(Party party) {
            return writers.contains(party) || readers.contains(party);
        }
    }

    private static final List<Topic> TOPICS = List.of(
            feed("health", 12, THIRTY_DAYS, "health commission, CDC, labs, clinics"),
            feed("police", 12, THIRTY_DAYS, "real-name registry, tracing teams, hotels, border control"),
            feed("transport", 12, THIRTY_DAYS, "civil aviation, railway, coach"),
            feed("carrier", 24, Duration.ofDays(14), "mobile operators; pings are most of a city's events"),
            feed("venue", 12, THIRTY_DAYS, "checkpoints and venue codes"),
            feed("reference", 3, null, "health commission (risk areas, testing campaigns)"),
            engine(
                    "overrides",
                    3,
                    false,
                    false,
                    null,
                    Set.of(Party.OPERATORS, Party.SERVING),
                    Set.of(Party.RISK_JOB),
                    "operators' override tool and the serving process's override API"),
            engine(
                    "interop",
                    3,
                    false,
                    false,
                    THIRTY_DAYS,
                    Set.of(Party.SERVING),
                    Set.of(Party.RISK_JOB),
                    "the serving process's exchange inbox: risk persons from other regions"),
            engine(
                    "declarations",
                    12,
                    false,
                    false,
                    THIRTY_DAYS,
                    Set.of(Party.SERVING),
                    Set.of(Party.RISK_JOB),
                    "the serving process's declaration API: persons' health and itinerary declarations, keyed by"
                            + " person pseudonym"),
            engine(
                    "rules",
                    1,
                    true,
                    false,
                    null,
                    Set.of(Party.OPERATORS),
                    Set.of(Party.RISK_JOB),
                    "rule sets, applied in the order they were published"),
            engine(
                    "status",
                    12,
                    false,
                    true,
                    null,
                    Set.of(Party.RISK_JOB),
                    Set.of(Party.SERVING),
                    "the status changelog, written exactly once; the latest status per person is kept for ever"),
            engine(
                    "corrections",
                    3,
                    false,
                    true,
                    null,
                    Set.of(Party.SERVING),
                    Set.of(Party.SERVING),
                    "correction requests of persons, latest state per request; every serving replica reads it all"),
            engine(
                    "rejected",
                    3,
                    false,
                    false,
                    THIRTY_DAYS,
                    Set.of(Party.RISK_JOB),
                    Set.of(Party.OPERATORS),
                    "records that failed validation, with a reason naming the field"),
            engine(
                    "audit",
                    6,
                    false,
                    false,
                    null,
                    Set.of(Party.RISK_JOB, Party.SERVING, Party.HUB),
                    Set.of(Party.SERVING),
                    "every lookup, verification, exchange and override decision"),
            engine(
                    "exchange-out",
                    3,
                    false,
                    false,
                    THIRTY_DAYS,
                    Set.of(Party.RISK_JOB, Party.SERVING),
                    Set.of(Party.SERVING),
                    "risk-person notices waiting to be pushed to other regions"),
            engine(
                    "vehicle-cases",
                    3,
                    false,
                    true,
                    null,
                    Set.of(Party.RISK_JOB),
                    Set.of(Party.SERVING),
                    "where on each vehicle the cases sat (no person), for the fellow-traveller self-check; latest per"
                            + " vehicle"),
            engine(
                    "risk-areas",
                    1,
                    false,
                    true,
                    null,
                    Set.of(Party.RISK_JOB),
                    Set.of(Party.SERVING),
                    "the risk-area listings the job applies, by listing id, for the serving process's risk-area"
                            + " answers"));

    private TopicCatalogue() {}

    private static Topic feed(String name, int partitions, Duration retention, String producers) {
        return new Topic(
                name,
                Origin.AUTHORITY,
                partitions,
                false,
                false,
                retention,
                Set.of(Party.AUTHORITIES),
                Set.of(Party.RISK_JOB),
                producers);
    }

    private static Topic engine(
            String name,
            int partitions,
            boolean ordered,
            boolean compacted,
            Duration retention,
            Set<Party> writers,
            Set<Party> readers,
            String note) {
        return new Topic(
                name,
                Origin.ENGINE,
                partitions,
                ordered,
                compacted,
                retention,
                EnumSet.copyOf(writers),
                EnumSet.copyOf(readers),
                note);
    }

    /** Every topic, feeds first. */
    public static List<Topic> all() {
        return TOPICS;
    }

    /** The authorities' feed topics, which must exist before the job starts. */
    public static List<Topic> authorityFeeds() {
        return TOPICS.stream().filter(t -> t.origin() == Origin.AUTHORITY).toList();
    }

    public static Optional<Topic> named(String name) {
        return TOPICS.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The topic called {@code name}; fails for a name the catalogue does not hold. */
    public static Topic get(String name) {
        return named(name)
                .orElseThrow(() -> new IllegalArgumentException("no topic " + name + " in the catalogue: "
                        + Arrays.toString(TOPICS.stream().map(Topic::name).toArray())));
    }

    /**
     * How a process creates the topic {@code name} when it is missing, called {@code prefix + name}: one partition
     * when the topic is ordered, else {@code partitions} (empty: the cluster's {@code num.partitions}); compaction
     * when it is compacted; the cluster's default replication and retention.
     */
    public static NewTopic newTopic(String prefix, String name, Optional<Integer> partitions) {
        Topic t = get(name);
        NewTopic n = new NewTopic(prefix + name, t.ordered() ? Optional.of(1) : partitions, Optional.empty());
        return t.compacted()
                ? n.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                : n;
    }
}
