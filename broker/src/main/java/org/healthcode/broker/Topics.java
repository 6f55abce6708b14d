package org.healthcode.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics idempotently: the ones that exist are left as they are (their partition count and settings are
 * not changed), the missing ones are made with replication factor 1.
 */
public final class Topics {
    /** The compacted status changelog the risk job writes and the serving side reads (DESIGN §4). */
    public static final String STATUS = "status";

    private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {}

    /** A topic with the default delete cleanup policy. */
    public static NewTopic plain(String name, int partitions) {
        return new NewTopic(name, partitions, (short) 1);
    }

    /** A log-compacted topic: the latest value per key is kept, a null value (tombstone) removes the key. */
    public static NewTopic compacted(String name, int partitions) {
        return new NewTopic(name, partitions, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** The compacted {@value #STATUS} topic. */
    public static NewTopic status(int partitions) {
        return compacted(STATUS, partitions);
    }

    /** Creates those of {@code topics} that do not exist yet on the cluster at {@code bootstrapServers}. */
    public static void ensure(String bootstrapServers, Collection<NewTopic> topics) {
        ensure(bootstrapServers, new Properties(), topics);
    }

    /** As {@link #ensure(String, Collection)}, with client settings (SASL_SSL, TLS) for the admin client. */
    public static void ensure(String bootstrapServers, Properties clientSettings, Collection<NewTopic> topics) {
        Properties p = new Properties();
        p.putAll(clientSettings);
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            ensure(admin, topics);
        }
    }

    /**
     * Creates those of {@code topics} that do not exist yet, with an admin client the caller owns, and returns once
     * the broker's metadata lists them (the controller acknowledges a creation before the brokers know the topic).
     */
    public static void ensure(Admin admin, Collection<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic t : topics) {
                if (!existing.contains(t.name())) {
                    missing.add(t);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    // another process created it between our listing and our request: that is what we wanted
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("creating topic " + name + " failed", e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                }
            });
            awaitVisible(admin, missing);
        } catch (ExecutionException e) {
            throw new IllegalStateException("listing topics failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    private static void awaitVisible(Admin admin, List<NewTopic> created) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + VISIBLE_TIMEOUT.toNanos();
        while (true) {
            Set<String> names = admin.listTopics().names().get();
            if (created.stream().allMatch(t -> names.contains(t.name()))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("created topics not visible after " + VISIBLE_TIMEOUT.toSeconds()
                        + " s: " + created.stream().map(NewTopic::name).toList());
            }
            Thread.sleep(50);
        }
    }
}
