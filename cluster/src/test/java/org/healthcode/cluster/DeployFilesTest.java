package org.healthcode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.risk.RiskJob;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.sinks.KafkaSinks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deploy/ folder against the code, as far as it can be checked without a Kubernetes cluster: the files parse,
 * every Flink option is one Flink knows, the settings the job depends on are there, the topic catalogue is the
 * code's, and the manifest's job jar and options are the job's.
 */
class DeployFilesTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path DEPLOY = ROOT.resolve("deploy");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static Set<String> flinkKeys;

    @BeforeAll
    static void collectFlinkOptionKeys() throws Exception {
        flinkKeys = flinkOptionKeys();
    }

    @Test
    void theFlinkConfigurationIsOneFlinkReadsWithTheSettingsTheJobNeeds() {
        assertThat(isFlinkOption("taskmanager.load-balance.mode")).isTrue();
        assertThat(isFlinkOption("taskmanager.load-balance.mod")).isFalse(); // the check can fail
        Configuration conf =
                GlobalConfiguration.loadConfiguration(DEPLOY.resolve("flink").toString());
        assertThat(conf.keySet())
                .isNotEmpty()
                .allSatisfy(k -> assertThat(isFlinkOption(k)).as(k).isTrue());
        assertThat(conf.get(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE))
                .isEqualTo(TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).matches("(s3|hdfs)://.+");
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.getString("env.java.opts.all", "")).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
        assertThat(conf.getString("metrics.reporter.prom.factory.class", ""))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    @Test
    void theFlinkDeploymentRunsTheJobJarWithTheSameConfigurationAndValidOptions() throws Exception {
        JsonNode d =
                YAML.readTree(DEPLOY.resolve("kubernetes/flink-deployment.yaml").toFile());
        assertThat(d.get("kind").asText()).isEqualTo("FlinkDeployment");
        Configuration base =
                GlobalConfiguration.loadConfiguration(DEPLOY.resolve("flink").toString());
        Map<String, String> expected = new HashMap<>(base.toMap());
        expected.remove("env.java.opts.all"); // the image's default configuration holds the module opens
        Map<String, String> actual = new HashMap<>();
        d.get("spec")
                .get("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
        actual.keySet().forEach(k -> assertThat(isFlinkOption(k)).as(k).isTrue());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(actual).as("flinkConfiguration." + e.getKey()).containsKey(e.getKey());
            assertThat(folded(actual.get(e.getKey()))).as(e.getKey()).isEqualTo(folded(e.getValue()));
        }

        JsonNode job = d.get("spec").get("job");
        assertThat(job.get("jarURI").asText()).endsWith("/risk-model-job.jar");
        assertThat(job.get("entryClass").asText()).isEqualTo(RiskJob.class.getName());
        List<String> args = new ArrayList<>();
        job.get("args").forEach(a -> args.add(a.asText()));
        assertThat(args.get(args.indexOf("--checkpoint-dir") + 1))
                .isEqualTo(base.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
        try {
            RiskJobConfig.parse(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            // files of the pod (secrets) do not exist here; anything else is a wrong option
            assertThat(e.getMessage().lines()).allSatisfy(l -> assertThat(l).contains("no such file"));
        }
    }

    @Test
    void theJobJarTheReadmeAndTheManifestNameIsBuiltWithItsMainClass() throws Exception {
        Path jar = ROOT.resolve("risk-model/target/risk-model-job.jar");
        assertThat(jar).isRegularFile();
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(RiskJob.class.getName());
            assertThat(j.getEntry("org/healthcode/risk/RiskJob.class")).isNotNull();
            assertThat(j.getEntry("org/apache/flink/connector/kafka/sink/KafkaSink.class"))
                    .isNotNull();
            // Flink itself is the cluster's
            assertThat(j.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"))
                    .isNull();
        }
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("risk-model/target/risk-model-job.jar");
    }

    @Test
    void theTopicsAreTheCatalogueWithReplicationThree() throws Exception {
        Map<String, JsonNode> topics = new HashMap<>();
        for (JsonNode doc : documents(DEPLOY.resolve("kafka/topics.yaml"))) {
            assertThat(doc.get("kind").asText()).isEqualTo("KafkaTopic");
            topics.put(doc.get("metadata").get("name").asText(), doc.get("spec"));
        }
        assertThat(topics.keySet())
                .containsExactlyInAnyOrderElementsOf(TopicCatalogue.all().stream()
                        .map(TopicCatalogue.Topic::name)
                        .toList());
        for (TopicCatalogue.Topic t : TopicCatalogue.all()) {
            JsonNode spec = topics.get(t.name());
            assertThat(spec.get("replicas").asInt()).as(t.name()).isEqualTo(3);
            assertThat(spec.get("config").get("min.insync.replicas").asInt())
                    .as(t.name())
                    .isEqualTo(2);
            JsonNode cleanup = spec.get("config").get("cleanup.policy");
            assertThat(cleanup != null && cleanup.asText().equals("compact"))
                    .as(t.name())
                    .isEqualTo(t.compacted());
            assertThat(spec.get("partitions").asInt()).as(t.name()).isEqualTo(t.partitions());
            if (t.ordered()) {
                assertThat(t.partitions()).as(t.name()).isEqualTo(1);
            }
            JsonNode retention = spec.get("config").get("retention.ms");
            long retentionMs = retention == null ? -1 : retention.asLong();
            assertThat(retentionMs)
                    .as(t.name() + " retention.ms")
                    .isEqualTo(t.retention() == null ? -1 : t.retention().toMillis());
        }
    }

    @Test
    void theKafkaClusterHasThreeNodesAndKeepsTheJobsTransactions() throws Exception {
        Map<String, JsonNode> byKind = new HashMap<>();
        for (JsonNode doc : documents(DEPLOY.resolve("kubernetes/kafka.yaml"))) {
            byKind.put(doc.get("kind").asText(), doc);
        }
        assertThat(byKind.get("KafkaNodePool").get("spec").get("replicas").asInt())
                .isEqualTo(3);
        JsonNode config = byKind.get("Kafka").get("spec").get("kafka").get("config");
        assertThat(config.get("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.get("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(config.get("transaction.state.log.replication.factor").asInt())
                .isEqualTo(3);
        assertThat(config.get("transaction.max.timeout.ms").asLong())
                .isGreaterThanOrEqualTo(Long.parseLong(KafkaSinks.TRANSACTION_TIMEOUT_MS));
        assertThat(config.get("auto.create.topics.enable").asBoolean()).isFalse();
    }

    @Test
    void theAlertsAndTheDashboardParseAndEachQueryNamesAMetric() throws Exception {
        JsonNode alerts = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yaml").toFile());
        List<String> names = new ArrayList<>();
        alerts.get("groups")
                .forEach(g -> g.get("rules").forEach(r -> {
                    names.add(r.get("alert").asText());
                    assertThat(r.get("expr").asText()).containsPattern("\\b(flink|healthcode)_");
                }));
        assertThat(names)
                .contains(
                        "FeedLagging",
                        "RejectedRateHigh",
                        "CheckpointSlow",
                        "SinkTransactionOld",
                        "LookupLatencyHigh",
                        "LookupsShed",
                        "StatusViewStale",
                        "AuditFollowerDown");
        JsonNode dashboard = new ObjectMapper()
                .readTree(DEPLOY.resolve("grafana/healthcode-dashboard.json").toFile());
        assertThat(dashboard.get("panels"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.get("targets")).isNotEmpty());
    }

    private static String folded(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    private static List<JsonNode> documents(Path file) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    /** A key of one of Flink's options, or a reporter option under {@code metrics.reporter.<name>.}. */
    private static boolean isFlinkOption(String key) {
        if (flinkKeys.contains(key)) {
            return true;
        }
        String[] p = key.split("\\.", 4);
        // the Prometheus reporter's own option (its class keeps it as a constant, not a ConfigOption)
        return p.length == 4
                && p[0].equals("metrics")
                && p[1].equals("reporter")
                && (flinkKeys.contains(p[3])
                        || flinkKeys.contains("metrics.reporter.<name>." + p[3])
                        || p[3].equals("port"));
    }

    /** Every key (and fallback key) of a public static ConfigOption in a Flink *Options class on the class path. */
    private static Set<String> flinkOptionKeys() throws Exception {
        Set<String> keys = new HashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !new File(entry).getName().startsWith("flink-")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (!name.startsWith("org/apache/flink/")
                            || !name.endsWith("Options.class")
                            || name.contains("$")) {
                        continue;
                    }
                    Class<?> c;
                    try {
                        c = Class.forName(name.replace('/', '.').replace(".class", ""));
                    } catch (Throwable t) {
                        continue;
                    }
                    for (Field f : c.getFields()) {
                        if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                            ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                            keys.add(o.key());
                            for (FallbackKey k : o.fallbackKeys()) {
                                keys.add(k.getKey());
                            }
                        }
                    }
                }
            }
        }
        return keys;
    }
}
