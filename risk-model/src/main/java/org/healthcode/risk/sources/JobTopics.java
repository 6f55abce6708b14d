package org.healthcode.risk.sources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.contracts.topics.TopicCatalogue;

/**
 * The topics the live job reads and writes, checked before it is submitted (a Kafka source on a missing topic fails
 * the job, which then restarts without end): the authorities' feed topics must exist, and the job refuses to start
 * naming the missing ones; the engine's topics it needs are created when missing, with the cluster's default
 * partitions and replication ({@code num.partitions}, {@code default.replication.factor}), one partition where the
 * catalogue asks for write order, and compaction for {@code status}.
 */
public final class JobTopics {
    private static final long TIMEOUT_SECONDS = 60;

    private JobTopics() {}

    /** Thrown when authority feed topics are missing; the message names them. */
    public static final class MissingTopicsException extends IllegalStateException {
        MissingTopicsException(String message) {
            super(message);
        }
    }

    /** The engine topics the job needs besides the feeds: {@code exchange-out} only with the exchange on. */
    public static List<String> engineTopics(boolean exchange) {
        List<String> names = new ArrayList<>(List.of("overrides", "interop", "rules", "status", "rejected", "audit"));
        if (exchange) {
            names.add("exchange-out");
        }
        return names;
    }

    /**
     * Fails naming every missing feed topic, then creates the missing {@code engineTopics}; names are the
     * catalogue's with {@code prefix} in front.
     */
    public static void prepare(String bootstrapServers, KafkaClientSettings kafka, String prefix,
                               List<String> engineTopics) {
        Properties p = kafka.properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> missingFeeds = TopicCatalogue.authorityFeeds().stream().map(t -> prefix + t.name())
                    .filter(t -> !existing.contains(t)).toList();
            if (!missingFeeds.isEmpty()) {
                throw new MissingTopicsException("feed topics missing on " + bootstrapServers + ": "
                        + String.join(", ", missingFeeds) + ". Create them (deploy/kafka/topics.yaml lists every"
                        + " topic with its partitions and replication) before starting the job");
            }
            List<NewTopic> create = new ArrayList<>();
            for (String name : engineTopics) {
                TopicCatalogue.Topic t = TopicCatalogue.get(name);
                if (!existing.contains(prefix + name)) {
                    create.add(newTopic(prefix + name, t));
                }
            }
            for (var e : admin.createTopics(create).values().entrySet()) {
                try {
                    e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the " + e.getKey() + " topic: " + ex.getCause(),
                                ex.getCause());
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics on " + bootstrapServers + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics", e);
        }
    }

    static NewTopic newTopic(String name, TopicCatalogue.Topic t) {
        NewTopic n = new NewTopic(name, t.singlePartition() ? Optional.of(1) : Optional.empty(), Optional.empty());
        return t.compacted()
                ? n.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                : n;
    }
}
