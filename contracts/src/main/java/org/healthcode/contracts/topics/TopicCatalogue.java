package org.healthcode.contracts.topics;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every Kafka topic of a region, who writes it, who reads it and how it must be set up: the one list the job, the
 * serving process, the demo and {@code deploy/kafka/topics.yaml} follow (a test compares that file with this list).
 *
 * <p>The authorities' feed topics ({@link Origin#AUTHORITY}) belong to whoever runs ingest: the job checks they exist
 * before it starts and refuses to start without them. The engine's own topics ({@link Origin#ENGINE}) are created by
 * the process that first needs them, with the cluster's default partitions and replication when missing.
 */
public final class TopicCatalogue {
    /** Who creates a topic. */
    public enum Origin {
        /** A feed of an authority (health commission, police, carriers, ...); created with the producers. */
        AUTHORITY,
        /** Written by the engine's own processes; created by whichever needs it first. */
        ENGINE
    }

    /**
     * One topic.
     *
     * @param name the topic's name (without a region's prefix)
     * @param origin who creates it
     * @param compacted log compaction (latest value per key) instead of time-based deletion
     * @param singlePartition one partition, because its readers need its records in write order
     * @param writers the processes that write it
     * @param readers the processes that read it
     */
    public record Topic(String name, Origin origin, boolean compacted, boolean singlePartition, String writers,
                        String readers) {}

    private static final List<Topic> TOPICS = List.of(
            feed("health", "health commission, CDC, labs, clinics"),
            feed("police", "real-name registry, tracing teams, hotels, border control"),
            feed("transport", "civil aviation, railway, coach"),
            feed("carrier", "mobile operators"),
            feed("venue", "checkpoints and venue codes"),
            feed("reference", "health commission (risk areas, testing campaigns)"),
            new Topic("overrides", Origin.ENGINE, false, false, "operators' override tool",
                    "risk job"),
            new Topic("interop", Origin.ENGINE, false, false, "serving (exchange inbox)", "risk job"),
            new Topic("rules", Origin.ENGINE, false, true, "operators (rule sets)", "risk job"),
            new Topic("status", Origin.ENGINE, true, false, "risk job (exactly once)", "serving (status view)"),
            new Topic("rejected", Origin.ENGINE, false, false, "risk job (exactly once)", "operators"),
            new Topic("audit", Origin.ENGINE, false, false, "risk job, serving", "serving (audit log)"),
            new Topic("exchange-out", Origin.ENGINE, false, false, "risk job, serving", "serving (exchange pusher)"));

    private TopicCatalogue() {}

    private static Topic feed(String name, String writers) {
        return new Topic(name, Origin.AUTHORITY, false, false, writers, "risk job");
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
        return named(name).orElseThrow(() -> new IllegalArgumentException("no topic " + name + " in the catalogue: "
                + Arrays.toString(TOPICS.stream().map(Topic::name).toArray())));
    }
}
