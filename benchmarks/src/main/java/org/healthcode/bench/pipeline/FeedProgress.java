package org.healthcode.bench.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the job has read: the sum of its consumer group's committed offsets over the feed topics (Flink's
 * KafkaSource commits them when a checkpoint completes, so they count only records the job has made durable),
 * against the sum of the feed topics' end offsets; and the end offset of the status topic.
 */
public final class FeedProgress implements AutoCloseable {
    private final Admin admin;
    private final String groupId;
    private final List<TopicPartition> feedPartitions;
    private final List<TopicPartition> statusPartitions;

    /** {@code client} holds {@code bootstrap.servers} and the cluster's client settings. */
    public FeedProgress(Properties client, String groupId, List<String> feedTopics, String statusTopic)
            throws ExecutionException, InterruptedException {
        this.admin = Admin.create(client);
        this.groupId = groupId;
        this.feedPartitions = partitions(feedTopics);
        this.statusPartitions = partitions(List.of(statusTopic));
    }

    private List<TopicPartition> partitions(List<String> topics) throws ExecutionException, InterruptedException {
        Map<String, TopicDescription> d =
                admin.describeTopics(topics).allTopicNames().get();
        return d.values().stream()
                .flatMap(t -> t.partitions().stream().map(pi -> new TopicPartition(t.name(), pi.partition())))
                .toList();
    }

    /** Sum of the feed topics' end offsets: records produced. */
    public long feedEnd() throws ExecutionException, InterruptedException {
        return endOffsets(feedPartitions);
    }

    /** Sum of the status topic's end offsets (transaction markers included, so a little above the statuses). */
    public long statusEnd() throws ExecutionException, InterruptedException {
        return endOffsets(statusPartitions);
    }

    /** Sum of the job's committed offsets over the feed topics (0 before its first checkpoint). */
    public long committed() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get();
        long sum = 0;
        for (TopicPartition tp : feedPartitions) {
            OffsetAndMetadata o = offsets.get(tp);
            if (o != null) {
                sum += o.offset();
            }
        }
        return sum;
    }

    private long endOffsets(List<TopicPartition> partitions) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> req = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest(), (a, b) -> a, HashMap::new));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> res =
                admin.listOffsets(req).all().get();
        return res.values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                .sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
