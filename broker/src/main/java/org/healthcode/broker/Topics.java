package org.healthcode.broker;

import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.healthcode.contracts.topics.TopicSetup;

/**
 * Topics for the embedded broker and the tests: made with replication factor 1 and the partitions asked for, created
 * idempotently through {@link TopicSetup} (the ones that exist are left as they are). The engine's processes create
 * theirs from {@code TopicCatalogue}.
 */
public final class Topics {
    /** The compacted status changelog the risk job writes and the serving side reads (DESIGN §4). */
    public static final String STATUS = "status";

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
        try (Admin admin = TopicSetup.admin(bootstrapServers, clientSettings)) {
            ensure(admin, topics);
        }
    }

    /** Creates those of {@code topics} that do not exist yet, with an admin client the caller owns. */
    public static void ensure(Admin admin, Collection<NewTopic> topics) {
        TopicSetup.ensure(admin, topics);
    }
}
