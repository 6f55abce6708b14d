package org.healthcode.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker against real clients: transactions, compacted topics, and a restart on the same data. */
class KafkaBrokerTest {
    @TempDir
    Path data;

    @Test
    void committedRecordsSurviveARestartOnTheSameDataDirectory() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(data, 0)) {
            Topics.ensure(broker.bootstrapServers(), List.of(Topics.plain("events", 2), Topics.status(2)));
            produceInOneTransaction(broker.bootstrapServers(), "events", List.of("a", "b", "c"), true);
            produceInOneTransaction(broker.bootstrapServers(), "events", List.of("aborted"), false);
            assertThat(readCommitted(broker.bootstrapServers(), "events", 2, 3))
                    .containsExactlyInAnyOrder("a", "b", "c");
        }
        // A different port on restart is fine: the controller quorum is configured, not stored.
        try (KafkaBroker broker = KafkaBroker.start(data, 0)) {
            assertThat(readCommitted(broker.bootstrapServers(), "events", 2, 3))
                    .containsExactlyInAnyOrder("a", "b", "c");
            produceInOneTransaction(broker.bootstrapServers(), "events", List.of("d"), true);
            assertThat(readCommitted(broker.bootstrapServers(), "events", 2, 4))
                    .containsExactlyInAnyOrder("a", "b", "c", "d");
        }
    }

    @Test
    void ensureTopicsIsIdempotentAndMakesTheStatusTopicCompacted() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(data, 0);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.ensure(admin, List.of(Topics.status(3)));
            Topics.ensure(admin, List.of(Topics.status(3), Topics.plain("health", 1)));
            assertThat(admin.listTopics().names().get()).contains("status", "health");
            ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, Topics.STATUS);
            Config config = admin.describeConfigs(Set.of(status)).all().get().get(status);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(admin.describeTopics(Set.of("status"))
                            .allTopicNames()
                            .get()
                            .get("status")
                            .partitions())
                    .hasSize(3);
        }
    }

    @Test
    void topicsAreNotCreatedByProducing() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(data, 0);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Properties p = producerProps(broker.bootstrapServers());
            p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        producer.send(new ProducerRecord<>("typo", "k", "v")).get());
            }
            assertThat(admin.listTopics().names().get()).doesNotContain("typo");
        }
    }

    private static void produceInOneTransaction(String bootstrap, String topic, List<String> values, boolean commit) {
        Properties p = producerProps(bootstrap);
        p.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + topic);
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, v, v));
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    private static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Reads the topic from the start with read_committed until {@code expected} values arrived or 20 s passed. */
    private static List<String> readCommitted(String bootstrap, String topic, int partitions, int expected) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            // one more short poll: anything beyond the expected values (e.g. an aborted one) would show up here
            consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
