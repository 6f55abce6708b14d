package org.healthcode.launcher;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/** The topics of one region: a topic per feed, the compacted {@code status} changelog and {@code rejected}. */
public final class DemoTopics {
    /** Two partitions per topic, so both of this machine's cores read. */
    static final int PARTITIONS = 2;

    private DemoTopics() {}

    public static List<String> feedTopics() {
        List<String> topics = new ArrayList<>();
        for (Feed f : Feed.values()) {
            topics.add(f.wireName());
        }
        return topics;
    }

    /** Creates the topics that are missing; existing ones are left as they are. */
    public static void create(String bootstrapServers) {
        create(bootstrapServers, KafkaClientSettings.NONE);
    }

    /** As above, with the client settings of {@code --kafka-config}. */
    public static void create(String bootstrapServers, KafkaClientSettings kafka) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String t : feedTopics()) {
            wanted.add(Topics.plain(t, PARTITIONS));
        }
        wanted.add(Topics.status(PARTITIONS));
        wanted.add(Topics.plain("rejected", 1));
        Topics.ensure(bootstrapServers, kafka.properties(), wanted);
    }
}
