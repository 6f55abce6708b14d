package org.healthcode.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.healthcode.interop.StatusFixtures.MONDAY_9AM;
import static org.healthcode.interop.StatusFixtures.TUESDAY_9AM;
import static org.healthcode.interop.StatusFixtures.green;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.testing.PrometheusNames;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker outage under a running serving process: {@code /health} says {@code degraded} (naming the followers that
 * cannot read) while the broker is away, and once it is back the status view and the audit log read on by
 * themselves, from where they stopped.
 */
class FollowersRecoverTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void afterABrokerOutageTheStatusViewAndTheAuditLogReadOnAndHealthSaidDegradedMeanwhile() throws Exception {
        int port = freePort();
        KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), port);
        String bootstrap = broker.bootstrapServers();
        Topics.ensure(bootstrap, List.of(Topics.compacted("status", 1)));
        ServeConfig config = new ServeConfig(bootstrap, "status", dir.resolve("view"), "127.0.0.1", 0, 16);
        try (ServingNode node = ServingNode.start(config, AuditSink.DISCARD)) {
            URI health = node.baseUri().resolve("/health");
            publish(bootstrap, "status", "alice", green("alice", 1, MONDAY_9AM).toByteArray());
            publish(bootstrap, "audit", "pa-alice", lookup("pa-alice", MONDAY_9AM));
            await().atMost(WAIT)
                    .until(() -> node.metrics().recordsApplied() == 1
                            && node.interop()
                                            .auditLog()
                                            .orElseThrow()
                                            .aboutSubject("pa-alice")
                                            .size()
                                    == 1);
            await().atMost(WAIT)
                    .until(() -> health(health).get("status").asText().equals("ok"));

            broker.close();
            await().atMost(WAIT).until(() -> {
                JsonNode h = health(health);
                return h.get("status").asText().equals("degraded")
                        && !h.get("followers").get("status").get("up").asBoolean()
                        && !h.get("followers").get("audit").get("up").asBoolean();
            });
            assertThat(node.metrics().render()).contains("healthcode_follower_up{follower=\"audit\"} 0");
            // lookups keep being answered from the view meanwhile
            assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);

            broker = KafkaBroker.start(dir.resolve("broker"), port);
            publish(bootstrap, "status", "alice", green("alice", 2, TUESDAY_9AM).toByteArray());
            publish(bootstrap, "audit", "pa-alice", lookup("pa-alice", TUESDAY_9AM));
            await().atMost(WAIT)
                    .until(() -> node.metrics().recordsApplied() == 2
                            && node.interop()
                                            .auditLog()
                                            .orElseThrow()
                                            .aboutSubject("pa-alice")
                                            .size()
                                    == 2);
            await().atMost(WAIT)
                    .until(() -> health(health).get("status").asText().equals("ok"));
            assertThat(node.metrics().render())
                    .contains("healthcode_follower_up{follower=\"audit\"} 1")
                    .contains("healthcode_follower_up{follower=\"status\"} 1");
            // every serving metric a dashboard panel or an alert of deploy/ reads is one this process exports
            String scrape = http.send(
                            HttpRequest.newBuilder(node.baseUri().resolve("/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(PrometheusNames.exported(scrape))
                    .containsAll(PrometheusNames.usedIn(
                            "healthcode_",
                            DEPLOY.resolve("prometheus/alerts.yaml"),
                            DEPLOY.resolve("grafana/healthcode-dashboard.json")));
        } finally {
            broker.close();
        }
    }

    /** The deploy folder beside the modules. */
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");

    private JsonNode health(URI uri) throws Exception {
        return JSON.readTree(http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private static byte[] lookup(String subject, Instant at) {
        return new AuditRecord(at, "gate-7", "checkpoint", "440000", AuditRecord.LOOKUP, subject, "found", null)
                .toJson()
                .toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void publish(String bootstrap, String topic, String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
