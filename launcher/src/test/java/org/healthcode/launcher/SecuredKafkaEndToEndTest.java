package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.BrokerSecurity;
import org.healthcode.broker.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against a secured broker: SASL_SSL with SCRAM-SHA-512 over TLS (certificate made for the test)
 * and ACLs. The job (own JVM, MiniCluster), the lookup service and the synthetic city each get the engine's
 * credentials through {@code --kafka-config}, and a person's colour comes out of the lookup; a client that
 * authenticates but holds no ACL can neither forge a feed event nor read the statuses, and a plaintext client gets
 * nothing.
 */
class SecuredKafkaEndToEndTest {
    private static final Pattern CURL = Pattern.compile("curl -s (\\S+/v1/status/(\\S+))");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(300)
    void thePipelineRunsOverSaslSslAndAClientWithoutAnAclIsRefused() throws Exception {
        BrokerSecurity security = BrokerSecurity.generate(work.resolve("tls"), List.of("engine", "intruder"));
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0, security)) {
            try (Admin admin = Admin.create(broker.adminProperties())) {
                admin.createAcls(BrokerSecurity.engineAcls("User:engine")).all().get();
            }
            Path engineConfig = security.writeClientConfig("engine", work.resolve("engine-kafka.properties"));
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
            DemoSettings settings = new DemoSettings(
                    DemoEndToEndTest.projectRoot(),
                    work.resolve("demo"),
                    false,
                    broker.bootstrapServers(),
                    0,
                    0,
                    1000,
                    3,
                    7,
                    500_000,
                    0.01,
                    engineConfig);
            try (Demo demo = new Demo(settings, out)) {
                demo.start();
                Matcher m = DemoEndToEndTest.awaitLine(console, CURL, Duration.ofMinutes(3));
                // the demo names a person from the committed statuses it read; the view may still be behind
                HttpResponse<String> lookup = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline && (lookup == null || lookup.statusCode() != 200)) {
                    lookup = HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(m.group(1)))
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                    if (lookup.statusCode() != 200) {
                        Thread.sleep(250);
                    }
                }
                assertThat(lookup.statusCode()).isEqualTo(200);
                JsonNode status = JSON.readTree(lookup.body());
                assertThat(status.get("colour").asText()).isIn("green", "yellow", "red");
                assertThat(console.toString(StandardCharsets.UTF_8)).contains("SASL_SSL SCRAM-SHA-512");

                Properties intruder = security.clientProperties("intruder");
                assertThatThrownBy(() -> produce(broker.bootstrapServers(), intruder, "health"))
                        .hasCauseInstanceOf(AuthorizationException.class);
                assertThatThrownBy(() -> readStatus(broker.bootstrapServers(), intruder))
                        .isInstanceOf(AuthorizationException.class);
                Properties plaintext = new Properties();
                plaintext.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
                assertThatThrownBy(() -> produce(broker.bootstrapServers(), plaintext, "health"))
                        .isInstanceOf(Exception.class);
            }
        }
    }

    private static void produce(String bootstrap, Properties security, String topic) throws Exception {
        Properties p = new Properties();
        p.putAll(security);
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "forged".getBytes(StandardCharsets.UTF_8)))
                    .get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("refused", e.getCause());
        }
    }

    private static void readStatus(String bootstrap, Properties security) {
        Properties p = new Properties();
        p.putAll(security);
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition("status", 0);
            c.assign(List.of(partition));
            c.seekToBeginning(List.of(partition));
            c.poll(Duration.ofSeconds(5));
        }
    }
}
