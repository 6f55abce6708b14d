package org.healthcode.risk.sources;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.risk.config.ReplayConfig;

/**
 * Where a replay of the feed topics starts and stops: {@code earliest}/{@code latest}, an ISO-8601 time (Kafka
 * record timestamps: the first record at or after it) or an offset, the same in every partition of every feed topic.
 */
public final class KafkaPositions {
    private KafkaPositions() {}

    public static OffsetsInitializer start(
            String bootstrap, KafkaClientSettings client, List<String> topics, String spec) {
        return spec.equals("earliest") ? OffsetsInitializer.earliest() : position(bootstrap, client, topics, spec);
    }

    /** Records before this position are read. */
    public static OffsetsInitializer stop(
            String bootstrap, KafkaClientSettings client, List<String> topics, String spec) {
        return spec.equals("latest") ? OffsetsInitializer.latest() : position(bootstrap, client, topics, spec);
    }

    private static OffsetsInitializer position(
            String bootstrap, KafkaClientSettings client, List<String> topics, String spec) {
        if (!spec.matches("\\d+")) {
            return OffsetsInitializer.timestamp(ReplayConfig.parseTime(spec).toEpochMilli());
        }
        long offset = Long.parseLong(spec);
        Properties p = client.properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Admin admin = Admin.create(p)) {
            List<String> existing = admin.listTopics().names().get().stream()
                    .filter(topics::contains)
                    .toList();
            for (TopicDescription d :
                    admin.describeTopics(existing).allTopicNames().get().values()) {
                d.partitions().forEach(pi -> offsets.put(new TopicPartition(d.name(), pi.partition()), offset));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the feed topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the feed topics at " + bootstrap + ": " + e.getCause(), e);
        }
        return OffsetsInitializer.offsets(offsets);
    }
}
