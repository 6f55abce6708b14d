package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.contracts.topics.TopicSetup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code RiskJob.main} as a cluster runs it: submitted through a context environment (as {@code flink run} and the
 * web submission do) it returns once the job is submitted, and it refuses to start while feed topics are missing.
 */
class RiskJobSubmissionTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path work;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(work.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private String[] args(String prefix) {
        return new String[] {
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--topic-prefix",
            prefix,
            "--checkpoint-dir",
            work.resolve(prefix + "checkpoints").toString(),
            "--work-dir",
            work.toString(),
            "--parallelism",
            "1",
            "--group-id",
            prefix + "risk",
            "--transactional-id-prefix",
            prefix + "risk"
        };
    }

    @Test
    void mainReturnsOnceTheJobIsSubmittedAndTheJobRunsOn(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        String prefix = "submit-";
        List<NewTopic> feeds = new ArrayList<>();
        for (TopicCatalogue.Topic t : TopicCatalogue.authorityFeeds()) {
            feeds.add(Topics.plain(prefix + t.name(), 1));
        }
        Topics.ensure(broker.bootstrapServers(), feeds);

        CompletableFuture<Void> main = CompletableFuture.runAsync(() -> {
            try {
                RiskJob.main(args(prefix));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // on a cluster main must not wait for the (endless) job: flink run -d and the web submission wait for main
        main.get(120, TimeUnit.SECONDS);

        JobID job = client.listJobs().get().stream()
                .filter(j -> j.getJobName().startsWith("healthcode risk"))
                .map(JobStatusMessage::getJobId)
                .findFirst()
                .orElseThrow();
        assertThat(client.getJobStatus(job).get()).isIn(JobStatus.CREATED, JobStatus.INITIALIZING, JobStatus.RUNNING);
        client.cancel(job).get();

        // the engine's topics were made as the catalogue says: status compacted, rules in one partition
        try (Admin admin =
                Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "status");
            assertThat(admin.describeConfigs(List.of(status))
                            .all()
                            .get()
                            .get(status)
                            .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                            .value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            TopicDescription rules = admin.describeTopics(List.of(prefix + "rules"))
                    .allTopicNames()
                    .get()
                    .get(prefix + "rules");
            assertThat(rules.partitions()).hasSize(1);
        }
    }

    @Test
    void missingFeedTopicsStopTheStartNamingThemInsteadOfRestartingForever(@InjectClusterClient ClusterClient<?> client)
            throws Exception {
        String prefix = "nofeeds-";
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.plain(prefix + "health", 1)));
        int jobsBefore = client.listJobs().get().size();

        assertThatThrownBy(() -> RiskJob.main(args(prefix)))
                .isInstanceOf(TopicSetup.MissingTopicsException.class)
                .hasMessageContaining("feed topics missing")
                .hasMessageContaining(prefix + "police")
                .hasMessageContaining(prefix + "carrier")
                .hasMessageNotContaining(prefix + "health,");
        assertThat(client.listJobs().get()).hasSize(jobsBefore);
    }
}
