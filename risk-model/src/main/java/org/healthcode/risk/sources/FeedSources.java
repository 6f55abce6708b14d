package org.healthcode.risk.sources;

import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;

/** The Kafka source over the feed topics. */
public final class FeedSources {
    private FeedSources() {}

    /** The topic of every feed, named after it, with an optional prefix. */
    public static List<String> feedTopics(String prefix) {
        return java.util.Arrays.stream(Feed.values())
                .map(f -> prefix + f.wireName())
                .toList();
    }

    /** The topic of every feed but {@code except}. */
    public static List<String> feedTopicsExcept(String prefix, Feed except) {
        return java.util.Arrays.stream(Feed.values())
                .filter(f -> f != except)
                .map(f -> prefix + f.wireName())
                .toList();
    }

    /** The rule-set topic from its beginning: every rule set in order, the last one valid stays in force. */
    @SuppressWarnings("deprecation")
    public static KafkaSource<RuleSetUpdate> rules(String bootstrap, String topic, String groupId) {
        return rules(bootstrap, KafkaClientSettings.NONE, topic, groupId);
    }

    /** As {@link #rules(String, String, String)}, with the client settings of {@code --kafka-config}. */
    @SuppressWarnings("deprecation")
    public static KafkaSource<RuleSetUpdate> rules(
            String bootstrap, KafkaClientSettings client, String topic, String groupId) {
        return KafkaSource.<RuleSetUpdate>builder()
                .setProperties(client.properties())
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(groupId + "-rules")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RuleSetDeserializer())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    /**
     * Reads every feed topic with read_committed, from the committed group offsets (earliest when none); on restore
     * the offsets come from the checkpoint instead, which is what makes the whole job exactly-once.
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the connector's API takes
    public static KafkaSource<FeedRecord> kafka(
            String bootstrap, List<String> topics, String groupId, EventDecoder decoder) {
        return kafka(bootstrap, KafkaClientSettings.NONE, topics, groupId, decoder);
    }

    /** As {@link #kafka(String, List, String, EventDecoder)}, with the client settings of {@code --kafka-config}. */
    @SuppressWarnings("deprecation")
    public static KafkaSource<FeedRecord> kafka(
            String bootstrap, KafkaClientSettings client, List<String> topics, String groupId, EventDecoder decoder) {
        return KafkaSource.<FeedRecord>builder()
                .setProperties(client.properties())
                .setBootstrapServers(bootstrap)
                .setTopics(topics)
                .setGroupId(groupId)
                .setClientIdPrefix(topics.size() == 1 ? groupId + "-" + topics.get(0) : groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new FeedDeserializer(decoder))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }
}
