package org.healthcode.contracts.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Checks and creates a process's topics before it reads or writes them (a Kafka source on a missing topic fails the
 * job, which then restarts without end): the one place topics are created, idempotently. Topics that exist are left
 * as they are (partitions and settings are not changed); missing ones are made and awaited until the broker's
 * metadata lists them (the controller acknowledges a creation before the brokers know the topic).
 */
public final class TopicSetup {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicSetup() {}

    /** Thrown when authority feed topics are missing; the message names them. */
    public static final class MissingTopicsException extends IllegalStateException {
        MissingTopicsException(String message) {
            super(message);
        }
    }

    /** An admin client for {@code bootstrapServers} with the client settings (SASL_SSL, TLS) given. */
    public static Admin admin(String bootstrapServers, Properties clientSettings) {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        return Admin.create(p);
    }

    /**
     * Fails naming every missing authority feed topic ({@code prefix} + the catalogue's name), then creates the
     * missing catalogue topics {@code engineTopics} as {@link TopicCatalogue#newTopic} says, with the cluster's
     * default partitions.
     */
    public static void prepare(
            String bootstrapServers, Properties clientSettings, String prefix, List<String> engineTopics) {
        try (Admin admin = admin(bootstrapServers, clientSettings)) {
            Set<String> existing = names(admin, bootstrapServers);
            List<String> missingFeeds = TopicCatalogue.authorityFeeds().stream()
                    .map(t -> prefix + t.name())
                    .filter(t -> !existing.contains(t))
                    .toList();
            if (!missingFeeds.isEmpty()) {
                throw new MissingTopicsException("feed topics missing on " + bootstrapServers + ": "
                        + String.join(", ", missingFeeds) + ". Create them (deploy/kafka/topics.yaml lists every"
                        + " topic with its partitions and replication) before starting the job");
            }
            ensure(admin, catalogueTopics(prefix, engineTopics, Optional.empty()));
        }
    }

    /**
     * Creates those of the catalogue topics {@code names} that are missing, called {@code prefix + name}, with
     * {@code partitions} where the catalogue leaves the count open (empty: the cluster's default).
     */
    public static void ensureCatalogueTopics(
            String bootstrapServers,
            Properties clientSettings,
            String prefix,
            List<String> names,
            Optional<Integer> partitions) {
        try (Admin admin = admin(bootstrapServers, clientSettings)) {
            ensure(admin, catalogueTopics(prefix, names, partitions));
        }
    }

    /** The catalogue's {@link NewTopic} for each of {@code names}. */
    public static List<NewTopic> catalogueTopics(String prefix, List<String> names, Optional<Integer> partitions) {
        return names.stream()
                .map(n -> TopicCatalogue.newTopic(prefix, n, partitions))
                .toList();
    }

    /** Creates those of {@code topics} that do not exist yet, with an admin client the caller owns. */
    public static void ensure(Admin admin, Collection<NewTopic> topics) {
        Set<String> existing = names(admin, "the cluster");
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic t : topics) {
            if (!existing.contains(t.name())) {
                missing.add(t);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        for (var e : admin.createTopics(missing).values().entrySet()) {
            try {
                e.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException ex) {
                // another process created it between our listing and our request: that is what we wanted
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create the " + e.getKey() + " topic: " + ex.getCause(), ex.getCause());
                }
            } catch (TimeoutException ex) {
                throw new IllegalStateException(
                        "creating the " + e.getKey() + " topic did not finish within " + TIMEOUT.toSeconds() + " s",
                        ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + e.getKey(), ex);
            }
        }
        awaitVisible(admin, missing);
    }

    private static Set<String> names(Admin admin, String where) {
        try {
            return admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the topics on " + where + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + where + " did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    private static void awaitVisible(Admin admin, List<NewTopic> created) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Set<String> names = names(admin, "the cluster");
            if (created.stream().allMatch(t -> names.contains(t.name()))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("created topics not visible after 30 s: "
                        + created.stream().map(NewTopic::name).toList());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics", e);
            }
        }
    }
}
