package org.healthcode.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import picocli.CommandLine.Option;

/**
 * Where a benchmark's Kafka is: by default a broker of its own on loopback (plaintext, started and stopped with the
 * run); with {@code --bootstrap-servers} a cluster the operator runs, reached with the client settings of
 * {@value KafkaClientSettings#OPTION} (SASL_SSL, SCRAM, mutual TLS) by every client of the harness and every process
 * it starts. Such a cluster must be one for the benchmark: the topics it writes must be absent or empty.
 */
public final class KafkaTarget {
    @Option(
            names = "--bootstrap-servers",
            description = "run against this Kafka cluster instead of a broker of the benchmark's own on loopback;"
                    + " its topics must be absent or empty")
    String bootstrapServers;

    @Option(
            names = KafkaClientSettings.OPTION,
            description = "Kafka client settings (security.protocol, sasl.*, ssl.*) for every client of the benchmark"
                    + " and of the processes it starts; only with --bootstrap-servers")
    Path kafkaConfig;

    /** The cluster for one run: started here, or the operator's after checking {@code topics} are empty. */
    public Cluster open(Path work, Collection<String> topics) throws Exception {
        if (bootstrapServers == null) {
            if (kafkaConfig != null) {
                throw new IllegalArgumentException(KafkaClientSettings.OPTION
                        + " needs --bootstrap-servers: the benchmark's own broker is plaintext on loopback");
            }
            KafkaBroker broker = KafkaBroker.start(work.resolve("broker"), 0);
            return new Cluster(broker.bootstrapServers(), KafkaClientSettings.NONE, null, broker);
        }
        KafkaClientSettings settings =
                kafkaConfig == null ? KafkaClientSettings.NONE : KafkaClientSettings.load(kafkaConfig);
        Cluster cluster = new Cluster(bootstrapServers, settings, kafkaConfig, null);
        cluster.requireEmpty(topics);
        return cluster;
    }

    /** A Kafka cluster a benchmark runs on; closing it stops the broker if the benchmark started one. */
    public static final class Cluster implements AutoCloseable {
        private final String bootstrap;
        private final KafkaClientSettings settings;
        private final Path settingsFile;
        private final KafkaBroker own;

        Cluster(String bootstrap, KafkaClientSettings settings, Path settingsFile, KafkaBroker own) {
            this.bootstrap = bootstrap;
            this.settings = settings;
            this.settingsFile = settingsFile;
            this.own = own;
        }

        public String bootstrapServers() {
            return bootstrap;
        }

        public KafkaClientSettings settings() {
            return settings;
        }

        /** A new set of client properties: the settings and {@code bootstrap.servers}; a client adds its own. */
        public Properties client() {
            Properties p = settings.properties();
            p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            return p;
        }

        /** The arguments that point a started process (job, serving process) at this cluster. */
        public List<String> processArgs() {
            List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrap));
            if (settingsFile != null) {
                args.addAll(List.of(
                        KafkaClientSettings.OPTION,
                        settingsFile.toAbsolutePath().toString()));
            }
            return args;
        }

        /** One line for the results: which cluster, and how the benchmark reached it (never a password). */
        public String describe() {
            return own != null
                    ? "a broker of the benchmark's own on loopback (plaintext), " + bootstrap
                    : "the cluster at " + bootstrap + " (" + settings.describe() + ")";
        }

        void requireEmpty(Collection<String> topics) throws Exception {
            try (Admin admin = Admin.create(client())) {
                Set<String> present = admin.listTopics().names().get();
                List<String> existing =
                        topics.stream().filter(present::contains).toList();
                if (existing.isEmpty()) {
                    return;
                }
                Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
                admin.describeTopics(existing)
                        .allTopicNames()
                        .get()
                        .values()
                        .forEach(d -> d.partitions()
                                .forEach(pi ->
                                        ends.put(new TopicPartition(d.name(), pi.partition()), OffsetSpec.latest())));
                Set<String> holding = admin.listOffsets(ends).all().get().entrySet().stream()
                        .filter(e -> e.getValue().offset() > 0)
                        .map(e -> e.getKey().topic())
                        .collect(Collectors.toCollection(java.util.TreeSet::new));
                if (!holding.isEmpty()) {
                    throw new IllegalStateException("the cluster at " + bootstrap + " already holds records in "
                            + holding + ": the benchmark would count them; give it a cluster of its own");
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (own != null) {
                own.close();
            }
        }
    }
}
