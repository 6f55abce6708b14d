package org.healthcode.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.contracts.topics.TopicSetup;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/** The topics of one region on the demo's broker: every topic of the catalogue, made before any process starts. */
public final class DemoTopics {
    /** Two partitions per topic the catalogue leaves open, so both of this machine's cores read. */
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
        TopicSetup.ensureCatalogueTopics(
                bootstrapServers,
                kafka.properties(),
                "",
                TopicCatalogue.all().stream().map(TopicCatalogue.Topic::name).toList(),
                Optional.of(PARTITIONS));
    }
}
