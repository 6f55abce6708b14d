package org.healthcode.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.healthcode.ingest.events.Feed;

/** The topics of one region: a topic per feed, the compacted {@code status} changelog and {@code rejected}. */
public final class DemoTopics {
    /** Feed topics have two partitions so both of this machine's cores read. */
    static final int FEED_PARTITIONS = 2;

    private DemoTopics() {}

    public static List<String> feedTopics() {
        List<String> topics = new ArrayList<>();
        for (Feed f : Feed.values()) {
            topics.add(f.wireName());
        }
        return topics;
    }

    /** Creates the topics that are missing; existing ones are left as they are. */
    public static void create(String bootstrapServers) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> wanted = new ArrayList<>();
            for (String t : feedTopics()) {
                wanted.add(new NewTopic(t, FEED_PARTITIONS, (short) 1));
            }
            wanted.add(new NewTopic("status", FEED_PARTITIONS, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000")));
            wanted.add(new NewTopic("rejected", 1, (short) 1));
            wanted.removeIf(t -> existing.contains(t.name()));
            if (!wanted.isEmpty()) {
                try {
                    admin.createTopics(wanted).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + ": " + e.getCause().getMessage(), e);
        }
    }
}
