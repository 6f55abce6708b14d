package org.healthcode.interop.overrides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.testing.Golden;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.audit.Slf4jAuditSink;
import org.healthcode.interop.config.CodesServeConfig;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators act on overrides through the serving process, which stamps their authenticated name and signs the event:
 * what reaches the overrides topic is what the job accepts, with the caller as operator whatever the body says.
 */
class OverridesHttpTest {
    private static final String REGION = "440000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ServingNode node;
    private static String chen;
    private static String chenAgain;
    private static String li;
    private static String app;
    private static String otherRegion;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(
                broker.bootstrapServers(),
                List.of(Topics.compacted("status", 1), Topics.plain(OverridesHandler.TOPIC, 1)));
        Path keys = dir.resolve("api-keys.txt");
        chen = ApiKeys.add(keys, "op-chen", Role.OPERATOR, REGION);
        chenAgain = ApiKeys.add(keys, "Op-Chen", Role.OPERATOR, REGION);
        li = ApiKeys.add(keys, "op-li", Role.OPERATOR, REGION);
        app = ApiKeys.add(keys, "app-backend", Role.APP, REGION);
        otherRegion = ApiKeys.add(keys, "op-wu", Role.OPERATOR, "310000");
        ServeConfig serve = new ServeConfig(
                        broker.bootstrapServers(), "status", dir.resolve("view"), "127.0.0.1", 0, 16)
                .withInterop(InteropConfig.defaults()
                        .withAccess(keys, false, -1, null, InteropConfig.DEFAULT_RATES)
                        .withRegion(REGION, ""));
        node = ServingNode.start(serve, CodesServeConfig.defaults().withRegion(REGION), new Slf4jAuditSink());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theOperatorOfEveryOverrideEventIsTheAuthenticatedCallerAndTheJobAcceptsItsSignature() throws Exception {
        String expiry = Instant.now().plus(Duration.ofDays(3)).toString().replace("Z", "+00:00");
        HttpResponse<String> requested = post(
                chen,
                "/v1/overrides",
                "{\"personId\":\"dave\",\"colour\":\"green\"," + "\"basis\":\"lab letter 2022-118\",\"expiry\":\""
                        + expiry + "\",\"requester\":\"op-li\"}");
        assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
        String requestId = JSON.readTree(requested.body()).get("requestId").asText();
        assertThat(post(chenAgain, "/v1/overrides/" + requestId + "/approve", "")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post(li, "/v1/overrides/" + requestId + "/approve", "{\"approver\":\"op-chen\"}")
                        .statusCode())
                .isEqualTo(202);

        List<Event> written = decodedOverrides(3);
        assertThat(written)
                .extracting(Event::type)
                .containsExactly(EventType.OVERRIDE_REQUEST, EventType.OVERRIDE_APPROVAL, EventType.OVERRIDE_APPROVAL);
        // the body's "requester" and "approver" are ignored; "Op-Chen" is op-chen, so the job refuses her approval
        assertThat(written).extracting(Event::operator).containsExactly("op-chen", "op-chen", "op-li");
        assertThat(written).extracting(Event::requestId).containsOnly(requestId);
        assertThat(written.get(0).personId()).isEqualTo("dave");
        assertThat(written.get(0).region()).isEqualTo(REGION);
    }

    @Test
    void onlyOperatorsOfThisRegionMayActOnOverrides() throws Exception {
        String body =
                "{\"personId\":\"erin\",\"colour\":\"red\",\"basis\":\"b\",\"expiry\":\"2099-01-01T00:00:00+08:00\"}";
        assertThat(post(app, "/v1/overrides", body).statusCode()).isEqualTo(403);
        assertThat(post(otherRegion, "/v1/overrides", body).statusCode()).isEqualTo(403);
        assertThat(post(null, "/v1/overrides", body).statusCode()).isEqualTo(401);
        HttpResponse<String> noBasis = post(
                chen,
                "/v1/overrides",
                "{\"personId\":\"erin\",\"colour\":\"red\",\"expiry\":\"2099-01-01T00:00:00+08:00\"}");
        assertThat(noBasis.statusCode()).isEqualTo(400);
        assertThat(noBasis.body()).contains("basis");
    }

    @Test
    void anOperatorOfAnotherRegionReadsNeitherTheAuditNorStatusesHere() throws Exception {
        for (String path : new String[] {"/v1/audit?caller=op-chen", "/v1/status/dave"}) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(node.baseUri() + path))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + otherRegion)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).contains("wrong_region");
        }
        HttpResponse<String> own = HTTP.send(
                HttpRequest.newBuilder(URI.create(node.baseUri() + "/v1/audit?caller=op-chen"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "Bearer " + chen)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(own.statusCode()).isEqualTo(200);
    }

    @Test
    void theJobsOverrideAuditRecordIsAnsweredByTheAuditApi() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("audit", "appeal-1", Golden.OVERRIDE_AUDIT_LINE))
                    .get();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create(node.baseUri() + "/v1/audit?subject=" + Golden.OVERRIDE_AUDIT_SUBJECT))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + chen)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).path("records"))
                    .extracting(n -> n.path("caller").asText() + " "
                            + n.path("action").asText() + " " + n.path("result").asText())
                    .contains(Golden.OVERRIDE_AUDIT_CALLER + " approval accepted");
        });
    }

    private static HttpResponse<String> post(String key, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.baseUri() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The overrides topic decoded as the job decodes it, with the serving node's public key. */
    private static List<Event> decodedOverrides(int expected) throws Exception {
        StandardEventDecoder decoder = new StandardEventDecoder(
                new Pseudonymiser(RegionSecret.ofBytes(new byte[32])),
                null,
                new OverrideSignatures.Verifier(OverrideSignatures.readPublic(dir.resolve("view")
                        .resolve(OverridesHandler.KEY_DIR)
                        .resolve(OverrideSignatures.PUBLIC_KEY_FILE))));
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(OverridesHandler.TOPIC, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    Decoded d = decoder.decodeProto(r.value(), r.topic(), r.partition(), r.offset());
                    assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
                    events.add(d.event());
                }
            }
        }
        return events;
    }
}
