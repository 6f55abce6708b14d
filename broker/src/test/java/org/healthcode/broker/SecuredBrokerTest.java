package org.healthcode.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker with SASL_SSL (SCRAM-SHA-512 over TLS) and ACLs: who may write, who is refused. */
class SecuredBrokerTest {
    @TempDir
    Path data;

    @TempDir
    Path tls;

    @Test
    void onlyAuthenticatedUsersWithAnAclMayWriteATopic() throws Exception {
        BrokerSecurity security = BrokerSecurity.generate(tls, List.of("writer", "intruder"));
        try (KafkaBroker broker = KafkaBroker.start(data, 0, security);
                Admin admin = Admin.create(broker.adminProperties())) {
            Topics.ensure(admin, List.of(Topics.plain("overrides", 1)));
            admin.createAcls(List.of(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, "overrides", PatternType.LITERAL),
                            new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                    .all()
                    .get();

            send(broker, security.clientProperties("writer"), "overrides", "approved by two");
            assertThat(read(broker, security.clientProperties("admin"), "overrides"))
                    .containsExactly("approved by two");

            assertThatThrownBy(() -> send(broker, security.clientProperties("intruder"), "overrides", "forged"))
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(
                            () -> send(broker, security.clientProperties("writer", "guessed"), "overrides", "forged"))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
            Properties plaintext = new Properties();
            plaintext.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
            assertThatThrownBy(() -> send(broker, plaintext, "overrides", "forged"))
                    .isInstanceOf(Exception.class);
            assertThat(read(broker, security.clientProperties("admin"), "overrides"))
                    .containsExactly("approved by two");
        }
    }

    private static void send(KafkaBroker broker, Properties security, String topic, String value) throws Exception {
        Properties p = new Properties();
        p.putAll(security);
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            try {
                producer.send(new ProducerRecord<>(topic, value)).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("send refused", e.getCause());
            }
        }
    }

    private static List<String> read(KafkaBroker broker, Properties security, String topic) {
        Properties p = new Properties();
        p.putAll(security);
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(topic, 0);
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            List<String> values = new java.util.ArrayList<>();
            long end = c.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (c.position(partition) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> none() {
        return Map.of();
    }
}
