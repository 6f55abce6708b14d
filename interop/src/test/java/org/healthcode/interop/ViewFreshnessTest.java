package org.healthcode.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The view's age at the door, against a real broker that stops: {@code /metrics} shows the status view's age
 * growing while the topic cannot be read, lookups are refused {@code view_stale} once it passes the bound, and both
 * come back when the broker does.
 */
class ViewFreshnessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_AGE_MS = 1_500;
    private static final Pattern AGE =
            Pattern.compile("healthcode_view_age_seconds\\{view=\"status\",path=\"([^\"]+)\"} (\\S+)");

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aViewThatCannotFollowItsTopicSaysHowOldItIsAndStopsAnsweringPastTheBound() throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0);
        String bootstrap = broker.bootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        try {
            Topics.ensure(bootstrap, List.of(Topics.compacted("status", 1)));
            publishAlice(bootstrap);
            ServeConfig config = new ServeConfig(bootstrap, "status", dir.resolve("view"), "127.0.0.1", 0, 16)
                    .withAdmission(new ServeConfig.Admission(1024, 20, 16, 0, MAX_AGE_MS, 1024));
            try (ServingNode node = ServingNode.start(config, AuditSink.DISCARD)) {
                URI base = node.baseUri();
                await().atMost(WAIT).until(() -> get(base, "/v1/status/alice").statusCode() == 200);
                assertThat(viewAgeSeconds(base)).isLessThan(MAX_AGE_MS / 1e3);

                broker.close();
                await().atMost(WAIT).until(() -> viewAgeSeconds(base) > MAX_AGE_MS / 1e3);
                HttpResponse<String> stale = get(base, "/v1/status/alice");
                assertThat(stale.statusCode()).isEqualTo(503);
                assertThat(stale.headers().firstValue("retry-after")).hasValue("1");
                assertThat(stale.body()).startsWith("{\"error\":\"view_stale\"");

                broker = KafkaBroker.start(dir.resolve("broker"), port);
                await().atMost(WAIT).until(() -> get(base, "/v1/status/alice").statusCode() == 200);
                assertThat(viewAgeSeconds(base)).isLessThan(MAX_AGE_MS / 1e3);
            }
        } finally {
            broker.close();
        }
    }

    /** The age {@code /metrics} reports for the view each lookup path reads: the same view, so the same age. */
    private double viewAgeSeconds(URI base) throws Exception {
        Matcher m = AGE.matcher(get(base, "/metrics").body());
        Map<String, Double> byPath = new TreeMap<>();
        while (m.find()) {
            byPath.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(byPath).containsOnlyKeys("/v1/status/{personId}", "/v1/status:batch");
        assertThat(new java.util.HashSet<>(byPath.values())).hasSize(1);
        return byPath.get("/v1/status/{personId}");
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void publishAlice(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(
                            "status",
                            "alice".getBytes(StandardCharsets.UTF_8),
                            StatusFixtures.green("alice", 1, StatusFixtures.MONDAY_9AM)
                                    .toByteArray()))
                    .get();
        }
    }
}
