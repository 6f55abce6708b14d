package org.healthcode.interop.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.codes.format.Base45;
import org.healthcode.codes.format.Zlib;
import org.healthcode.codes.issue.CodePrefix;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.HubNode;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.StatusFixtures;
import org.healthcode.interop.TestCertificates;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving process and the hub attacked through their HTTP boundary, endpoint by endpoint: bodies declared or
 * sent larger than the endpoint takes, malformed bodies, decompression bombs, bodies that trickle in, and requests
 * Jetty itself refuses. Each leaves the node answering, with a JSON error that names no internals.
 */
class HostileInputTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String REGION = "440000";

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ServingNode node;
    private static HubNode hub;
    private static SSLContext regionTls;
    private static String checkpointKey;
    private static String operatorKey;
    private static String regionKey;
    private static String appKey;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** An endpoint that takes a body, and the credential it needs. */
    private record Endpoint(String path, String apiKey) {}

    private static List<Endpoint> bodyEndpoints() {
        return List.of(
                new Endpoint("/v1/status:batch", checkpointKey),
                new Endpoint("/v1/exchange/risk-persons", regionKey),
                new Endpoint("/v1/exchange/outbox", operatorKey),
                new Endpoint("/v1/codes", operatorKey),
                new Endpoint("/v1/verify", checkpointKey),
                new Endpoint("/v1/verify-image", checkpointKey),
                new Endpoint("/v1/overrides", operatorKey),
                new Endpoint("/v1/corrections/me/alice:file", appKey),
                new Endpoint("/v1/declarations/alice/health", appKey),
                new Endpoint("/v1/declarations/alice/itinerary", appKey),
                new Endpoint("/v1/corrections/cor-1/propose", operatorKey));
    }

    @BeforeAll
    static void startNodeAndHub() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted("status", 1), Topics.plain("venue", 1)));
        Path keys = dir.resolve("api-keys");
        checkpointKey = ApiKeys.add(keys, "gate-1", Role.CHECKPOINT, REGION);
        operatorKey = ApiKeys.add(keys, "ops-1", Role.OPERATOR, REGION);
        regionKey = ApiKeys.add(keys, "region-310000", Role.REGION, "310000");
        appKey = ApiKeys.add(keys, "app-1", Role.APP, REGION);
        // 8 HTTP threads (the least allowed): a handler that waits for a body on a thread would soon hold them all
        ServeConfig serve = new ServeConfig(
                        broker.bootstrapServers(), "status", dir.resolve("view"), "127.0.0.1", 0, 16)
                .withInterop(InteropConfig.defaults().withAccess(keys, true, -1, null, Map.of(Role.APP, 0)))
                .withAdmission(new ServeConfig.Admission(1024, 20, 8));
        node = ServingNode.start(serve, AuditSink.DISCARD);
        TestCertificates certs = TestCertificates.in(dir);
        Path pkiDir = certs.hub(dir.resolve("hub-pki"));
        hub = HubNode.start(
                new ServeConfig(null, "status", dir.resolve("hub"), "127.0.0.1", 0, 16)
                        .withInterop(InteropConfig.defaults()
                                .withMode(InteropConfig.MODE_HUB)
                                .withAccess(null, false, 0, pkiDir, InteropConfig.DEFAULT_RATES)),
                AuditSink.DISCARD);
        regionTls = certs.caller("region-310000", Role.REGION, "310000");

        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        StatusRecord alice = StatusFixtures.green("alice", 1, StatusFixtures.MONDAY_9AM);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(
                    new ProducerRecord<>("status", "alice".getBytes(StandardCharsets.UTF_8), alice.toByteArray()));
        }
        await().atMost(WAIT).until(() -> lookup("alice").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {node, hub, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest anyway
            }
        }
    }

    @Test
    void aDeclaredLengthOverTheBoundIsAnswered413BeforeAnyOfTheBodyIsSent() throws Exception {
        for (Endpoint e : bodyEndpoints()) {
            try (Socket s = socket(node.baseUri())) {
                RawHttp.Answer a = RawHttp.exchange(
                        s,
                        "POST " + e.path() + " HTTP/1.1\r\nHost: x\r\n"
                                + "Authorization: Bearer " + e.apiKey() + "\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 60000000",
                        new byte[0]);
                assertThat(a.status()).as(e.path()).isEqualTo(413);
                assertThat(a.body()).as(e.path()).startsWith("{\"error\":\"payload_too_large\"");
            }
        }
        try (Socket s = regionTls
                .getSocketFactory()
                .createSocket("127.0.0.1", hub.baseUri().getPort())) {
            s.setSoTimeout((int) WAIT.toMillis());
            RawHttp.Answer a = RawHttp.exchange(
                    s,
                    "POST /v1/trust-list/registrations HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 60000000",
                    new byte[0]);
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body()).startsWith("{\"error\":\"payload_too_large\"");
        }
        assertThat(lookup("alice").statusCode()).isEqualTo(200);
    }

    @Test
    void aChunkedBodyIsCutAtTheBoundAndAnswered413() throws Exception {
        for (Endpoint e : bodyEndpoints()) {
            int size = e.path().equals("/v1/verify-image") ? 9 * 1024 * 1024 : 300 * 1024;
            try (Socket s = socket(node.baseUri())) {
                RawHttp.Answer a = RawHttp.chunkedExchange(
                        s,
                        "POST " + e.path() + " HTTP/1.1\r\nHost: x\r\n" + "Authorization: Bearer " + e.apiKey()
                                + "\r\nContent-Type: application/json",
                        size);
                assertThat(a.status()).as(e.path()).isEqualTo(413);
                assertThat(a.body()).as(e.path()).startsWith("{\"error\":\"payload_too_large\"");
            }
        }
        try (Socket s = regionTls
                .getSocketFactory()
                .createSocket("127.0.0.1", hub.baseUri().getPort())) {
            s.setSoTimeout((int) WAIT.toMillis());
            RawHttp.Answer a = RawHttp.chunkedExchange(
                    s,
                    "POST /v1/trust-list/registrations HTTP/1.1\r\nHost: x\r\n" + "Content-Type: application/json",
                    300 * 1024);
            assertThat(a.status()).isEqualTo(413);
        }
        assertThat(lookup("alice").statusCode()).isEqualTo(200);
    }

    @Test
    void malformedBodiesAreClientErrorsInJsonThatNameNoInternals() throws Exception {
        // 3 000 levels, three times the parser's bound, in 6 KB: within every route's body bound, so the server reads
        // the whole body and the parser refuses it (a body past the bound is answered 413 before it is sent in full)
        String nested = "{\"ids\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}";
        assertThat(nested.length()).isLessThan(Route.Body.DECLARATION.maxBytes());
        for (Endpoint e : bodyEndpoints()) {
            for (String body : List.of("{not json", "\u0000\u00ff\u00fe", nested)) {
                HttpResponse<String> r =
                        post(node.baseUri(), e.path(), e.apiKey(), body.getBytes(StandardCharsets.UTF_8));
                assertThat(r.statusCode()).as(e.path()).isBetween(200, 499);
                assertNoInternals(r.body());
                if (r.statusCode() != 200) {
                    assertThat(r.body()).as(e.path()).startsWith("{\"error\":\"");
                }
            }
        }
        HttpClient hubHttp = HttpClient.newBuilder()
                .sslContext(regionTls)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> r = hubHttp.send(
                HttpRequest.newBuilder(hub.baseUri().resolve("/v1/trust-list/registrations"))
                        .timeout(WAIT)
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertNoInternals(r.body());
    }

    @Test
    void aSmallPngDeclaring30000By30000PixelsIsRefusedWithoutBeingDecoded() throws Exception {
        byte[] bomb = Pictures.pngBomb(30_000, 30_000);
        assertThat(bomb.length).isLessThan(200 * 1024);
        HttpResponse<String> r = post(node.baseUri(), "/v1/verify-image", checkpointKey, bomb);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).startsWith("{\"error\":\"payload_too_large\"").contains("30000 x 30000");
        assertNoInternals(r.body());
        assertThat(lookup("alice").statusCode()).isEqualTo(200);
    }

    @Test
    void aCodeThatInflatesPastItsBoundIsAVerdictNotAFailure() throws Exception {
        byte[] zeros = new byte[4 * 1024 * 1024];
        String code = CodePrefix.CURRENT + Base45.encode(Zlib.deflate(zeros));
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(node.baseUri().resolve("/v1/verify"))
                        .timeout(WAIT)
                        .header("Authorization", "Bearer " + checkpointKey)
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(code))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("\"result\":\"valid\"");
        assertNoInternals(r.body());
    }

    @Test
    void bodiesThatTrickleInHoldNoThreads() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            // twice as many slow requests as the node has HTTP threads, on every endpoint that reads a body
            for (int i = 0; i < 16; i++) {
                Endpoint e = bodyEndpoints().get(i % bodyEndpoints().size());
                Socket s = socket(node.baseUri());
                RawHttp.send(
                        s,
                        "POST " + e.path() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + e.apiKey()
                                + "\r\nContent-Type: application/json\r\nContent-Length: 4000",
                        "{\"ids\":[".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            trickle.scheduleAtFixedRate(
                    () -> {
                        for (Socket s : slow) {
                            try {
                                s.getOutputStream().write(' ');
                                s.getOutputStream().flush();
                            } catch (IOException e) {
                                // the server may close a connection: that frees it too
                            }
                        }
                    },
                    0,
                    500,
                    TimeUnit.MILLISECONDS);
            // while every slow request is still sending, the node answers others
            for (int i = 0; i < 20; i++) {
                assertThat(lookup("alice").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> batch = post(
                    node.baseUri(),
                    "/v1/status:batch",
                    checkpointKey,
                    "{\"ids\":[\"alice\"]}".getBytes(StandardCharsets.UTF_8));
            assertThat(batch.statusCode()).isEqualTo(200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(node.baseUri().resolve("/health"))
                                            .timeout(WAIT)
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void requestsJettyRefusesByItselfAreAnsweredInJson() throws Exception {
        try (Socket s = socket(node.baseUri())) {
            RawHttp.Answer a = RawHttp.exchange(s, "NOT HTTP AT ALL", new byte[0]);
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).startsWith("{\"error\":\"malformed_request\"");
            assertNoInternals(a.body());
        }
        try (Socket s = socket(node.baseUri())) {
            RawHttp.Answer a = RawHttp.exchange(
                    s, "GET /v1/status/alice HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024), new byte[0]);
            assertThat(a.status()).isEqualTo(431);
            assertThat(a.body()).startsWith("{\"error\":\"headers_too_large\"");
            assertNoInternals(a.body());
        }
        try (Socket s = socket(node.baseUri())) {
            RawHttp.Answer a = RawHttp.exchange(
                    s,
                    "GET /v1/status/alice HTTP/1.1\r\nHost: x\r\n" + "Transfer-Encoding: chunked\r\nContent-Length: 5",
                    new byte[0]);
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).startsWith("{\"error\":\"");
            assertNoInternals(a.body());
        }
        assertThat(lookup("alice").statusCode()).isEqualTo(200);
    }

    private static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception", "Error:", "org.eclipse", "java.", "<html", "Jetty", "at org.");
    }

    private static Socket socket(URI base) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static HttpResponse<String> lookup(String person) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(node.baseUri().resolve("/v1/status/" + person))
                                .timeout(WAIT)
                                .header("Authorization", "Bearer " + checkpointKey)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI base, String path, String apiKey, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(WAIT)
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
