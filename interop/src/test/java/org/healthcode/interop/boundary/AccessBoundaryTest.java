package org.healthcode.interop.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.StatusFixtures;
import org.healthcode.interop.TestCertificates;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.LookupAudit;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may cost the serving process what, and what it writes down: anonymous floods are limited by source address
 * before they reach authentication or the admission queue, and counted rather than audited; a batch costs one lookup
 * per id; every look at a person (the audit view itself, a refused outbox request) is audited, and a person can page
 * back through every record about them.
 */
class AccessBoundaryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REGION = "440000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ServingNode node;
    private static TestCertificates certs;
    private static String appKey;
    private static String checkpointKey;
    private static String operatorKey;
    private static final List<AuditRecord> audits = new CopyOnWriteArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted("status", 1)));
        Path keys = dir.resolve("api-keys");
        appKey = ApiKeys.add(keys, "app-backend", Role.APP, REGION);
        checkpointKey = ApiKeys.add(keys, "gate-1", Role.CHECKPOINT, REGION);
        operatorKey = ApiKeys.add(keys, "ops-1", Role.OPERATOR, REGION);
        // one lookup at a time and no queue: whatever reaches admission beside a real lookup makes it 503
        certs = TestCertificates.in(dir);
        Path pki = certs.region(REGION, dir.resolve("pki"));
        InteropConfig access = InteropConfig.defaults()
                .withAccess(
                        keys,
                        false,
                        0,
                        pki,
                        Map.of(
                                Role.APP,
                                10_000,
                                Role.CHECKPOINT,
                                50,
                                Role.REGION,
                                1_000,
                                Role.OPERATOR,
                                1_000,
                                Role.HUB,
                                10))
                .withHub(null, null, List.of(), Map.of("310000", URI.create("https://127.0.0.1:9")));
        ServeConfig serve = new ServeConfig(broker.bootstrapServers(), "status", dir.resolve("view"), "127.0.0.1", 0, 1)
                .withInterop(access)
                .withAdmission(new ServeConfig.Admission(0, 20, 16, 200).withMaxLookupsInFlight(1));
        AuditSink collect = new AuditSink() {
            @Override
            public void lookup(LookupAudit audit) {}

            @Override
            public void record(AuditRecord audit) {
                audits.add(audit);
            }
        };
        node = ServingNode.start(serve, collect);
        publish(
                "status",
                "alice",
                StatusFixtures.green("alice", 1, StatusFixtures.MONDAY_9AM).toByteArray());
        await().atMost(WAIT).until(() -> get("/v1/status/alice", appKey).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        node.close();
        broker.close();
    }

    @Test
    void anonymousRequestsAreRefusedAndCountedButNotAuditedOneByOne() throws Exception {
        long before = audits.stream()
                .filter(a -> AuditRecord.ACCESS.equals(a.action()))
                .count();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get("/v1/status/alice", null);
            assertThat(r.statusCode()).isEqualTo(401);
        }
        assertThat(audits.stream()
                        .filter(a -> AuditRecord.ACCESS.equals(a.action()))
                        .count())
                .isEqualTo(before);
        assertThat(node.metrics().accessRefused("unauthenticated")).isGreaterThanOrEqualTo(30);
    }

    @Test
    void aFloodFromOneAddressIsLimitedThereAndNeverCrowdsOutRealLookups() throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger limited = new AtomicInteger();
        List<Thread> flooders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread flooder = new Thread(
                    () -> {
                        while (flooding.get()) {
                            try (Socket s = new Socket()) {
                                s.bind(new InetSocketAddress("127.0.0.2", 0));
                                s.connect(new InetSocketAddress(
                                        "127.0.0.1", node.baseUri().getPort()));
                                s.setSoTimeout(10_000);
                                while (flooding.get()) {
                                    RawHttp.Answer a = RawHttp.exchange(
                                            s, "GET /v1/status/alice HTTP/1.1\r\nHost: x", new byte[0]);
                                    if (a.status() == 429) {
                                        limited.incrementAndGet();
                                    }
                                }
                            } catch (IOException e) {
                                // the server closed the connection: open another
                            }
                        }
                    },
                    "flooder-" + t);
            flooders.add(flooder);
            flooder.start();
        }
        try {
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> r = get("/v1/status/alice", appKey);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
        } finally {
            flooding.set(false);
            for (Thread t : flooders) {
                t.join();
            }
        }
        assertThat(limited.get()).isPositive();
        assertThat(node.metrics().lookups("overloaded")).isZero();
    }

    @Test
    void eachIdOfABatchCountsAgainstTheCallersRateLimit() throws Exception {
        // the checkpoint may make 50 lookups per second: a batch of 100 ids is 100 lookups, never admitted at once
        HttpResponse<String> tooMany = post("/v1/status:batch", checkpointKey, batchOf(100));
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(tooMany.body()).startsWith("{\"error\":\"rate_limited\"").contains("100 lookups");
        HttpResponse<String> fits = post("/v1/status:batch", checkpointKey, batchOf(40));
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(fits.body()).contains("\"unknown\":[\"nobody-1\"");
    }

    @Test
    void aBatchLeavesOneDurableAuditRecordNamingEveryoneAndEachPersonSeesItAsTheirOwnLookup() throws Exception {
        publish(
                "status",
                "erin",
                StatusFixtures.green("erin", 1, StatusFixtures.MONDAY_9AM).toByteArray());
        publish(
                "status",
                "dora",
                StatusFixtures.green("dora", 1, StatusFixtures.MONDAY_9AM).toByteArray());
        await().atMost(WAIT).until(() -> get("/v1/status/dora", appKey).statusCode() == 200);
        long before = lookupsNaming("dora").size();

        HttpResponse<String> batch =
                post("/v1/status:batch", operatorKey, "{\"ids\":[\"dora\",\"erin\",\"nobody-b\",\"not an id\"]}");
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(batch.body()).path("statuses")).hasSize(2);

        // one record for the batch (answered only once the broker acknowledged it), naming each person looked up
        List<AuditRecord> naming = lookupsNaming("dora");
        assertThat(naming).hasSize((int) before + 1);
        AuditRecord one = naming.get(naming.size() - 1);
        assertThat(one.caller()).isEqualTo("ops-1");
        assertThat(one.subject()).isNull();
        assertThat(one.result()).isEqualTo(AuditRecord.BATCH);
        assertThat(one.batch())
                .containsExactly(
                        new AuditRecord.BatchItem("dora", "found"),
                        new AuditRecord.BatchItem("erin", "found"),
                        new AuditRecord.BatchItem("nobody-b", "unknown_person"));
        assertThat(lookupsNaming("erin")).containsExactly(one);

        // read back from the audit topic: each person's own audit shows the lookup of them, and no one else's id
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(get("/v1/audit/me/erin", appKey).body())
                        .contains("\"caller\":\"ops-1\"", "\"result\":\"found\"", "\"detail\":\"batch of 4\""));
        JsonNode erin = JSON.readTree(get("/v1/audit/me/erin", appKey).body()).path("records");
        assertThat(erin.toString()).doesNotContain("dora", "nobody-b", "\"batch\":");
        assertThat(get("/v1/audit/me/nobody-b", appKey).body())
                .contains("\"result\":\"unknown_person\"")
                .doesNotContain("erin");
        // the operator's query by caller shows the whole record
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                get("/v1/audit?caller=ops-1", operatorKey).body())
                        .contains("{\"subject\":\"nobody-b\",\"result\":\"unknown_person\"}"));
    }

    /** The lookup records handed to the audit sink that name {@code personId}, alone or in a batch. */
    private static List<AuditRecord> lookupsNaming(String personId) {
        return audits.stream()
                .filter(a -> AuditRecord.LOOKUP.equals(a.action()))
                .filter(a ->
                        personId.equals(a.subject()) || a.batch().stream().anyMatch(i -> personId.equals(i.subject())))
                .toList();
    }

    private static String batchOf(int n) {
        StringBuilder ids = new StringBuilder("{\"ids\":[\"alice\"");
        for (int i = 1; i < n; i++) {
            ids.append(",\"nobody-").append(i).append('"');
        }
        return ids.append("]}").toString();
    }

    @Test
    void aPersonPagesBackPastAFloodOfLaterLookupsToTheEarliestOne() throws Exception {
        Instant t0 = Instant.parse("2022-04-04T01:00:00Z");
        List<byte[]> records = new ArrayList<>();
        records.add(new AuditRecord(t0, "stalker-9", "operator", REGION, AuditRecord.LOOKUP, "carol", "found", null)
                .toJsonBytes());
        for (int i = 1; i <= 1500; i++) {
            records.add(new AuditRecord(
                            t0.plusSeconds(i),
                            "flooder",
                            "operator",
                            REGION,
                            AuditRecord.LOOKUP,
                            "carol",
                            "found",
                            null)
                    .toJsonBytes());
        }
        publish("audit", "carol", records.toArray(new byte[0][]));
        await().atMost(WAIT)
                .until(() -> JSON.readTree(get("/v1/audit/me/carol", appKey).body())
                                .path("records")
                                .size()
                        == 1000);
        List<String> callers = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(get("/v1/audit/me/carol" + (next == null ? "" : "?before=" + next), appKey)
                    .body());
            page.path("records").forEach(r -> callers.add(r.path("caller").asText()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (next != null && pages < 10);
        assertThat(pages).isEqualTo(2);
        // newest first, so the earliest lookup ends the last page; the reads of the audit are among the records too
        assertThat(callers).filteredOn("flooder"::equals).hasSize(1500);
        assertThat(callers.get(callers.size() - 1)).isEqualTo("stalker-9");
    }

    @Test
    void readingTheAuditIsItselfAudited() throws Exception {
        assertThat(get("/v1/audit/me/alice", appKey).statusCode()).isEqualTo(200);
        assertThat(get("/v1/audit?subject=alice", operatorKey).statusCode()).isEqualTo(200);
        assertThat(audits)
                .filteredOn(a -> AuditRecord.AUDIT_READ.equals(a.action()) && "alice".equals(a.subject()))
                .extracting(AuditRecord::caller)
                .contains("app-backend", "ops-1");
    }

    @Test
    void aRefusedOutboxRequestIsAuditedAndSaysNothingAGreenPersonDoesNotShareWithAnUnknownOne() throws Exception {
        HttpResponse<String> green =
                post("/v1/exchange/outbox", operatorKey, "{\"personId\":\"alice\",\"toRegion\":\"310000\"}");
        HttpResponse<String> unknown =
                post("/v1/exchange/outbox", operatorKey, "{\"personId\":\"zed\",\"toRegion\":\"310000\"}");
        assertThat(green.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(404);
        assertThat(green.body()).isEqualTo(unknown.body());
        assertThat(audits)
                .filteredOn(a -> AuditRecord.EXCHANGE_OUT.equals(a.action()))
                .extracting(AuditRecord::subject)
                .contains("alice", "zed");
    }

    @Test
    void aRawIdNumberOrPhoneNumberIsNeitherLookedUpNorRecorded() throws Exception {
        List<String> raw = List.of("440106199001011234", "44010619900101123X", "13800138000", "8613800138000");
        for (String id : raw) {
            HttpResponse<String> lookup = get("/v1/status/" + id, appKey);
            assertThat(lookup.statusCode()).as(id).isEqualTo(400);
            assertThat(lookup.body()).as(id).startsWith("{\"error\":\"malformed_person_id\"");
            assertThat(post("/v1/codes/" + id, appKey, "").statusCode()).as(id).isEqualTo(400);
            assertThat(get("/v1/audit/me/" + id, appKey).statusCode()).as(id).isEqualTo(400);
            assertThat(get("/v1/audit?subject=" + id, operatorKey).statusCode())
                    .as(id)
                    .isEqualTo(400);
        }
        assertThat(post("/v1/status:batch", operatorKey, "{\"ids\":[\"" + raw.get(0) + "\"]}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(audits)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a.toJsonLine()).doesNotContain(raw));
    }

    @Test
    void keysStatusesAndAuditAreReadableByTheOwnerAlone() throws Exception {
        // the view (the data directory itself), the audit index, the signing keys' directory and files
        Path view = dir.resolve("view");
        List<Path> owned = new ArrayList<>(List.of(view, view.resolve("audit-index")));
        try (var files = java.nio.file.Files.walk(view.resolve("codes"))) {
            files.filter(p -> p.getFileName().toString().startsWith("keystore")).forEach(p -> {
                owned.add(p);
                owned.add(p.getParent());
            });
        }
        assertThat(owned).anyMatch(p -> p.getFileName().toString().endsWith(".p12"));
        for (Path p : owned) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                            java.nio.file.Files.getPosixFilePermissions(p)))
                    .as(p.toString())
                    .endsWith("------");
        }
    }

    @Test
    void aNodeWithPlainHttpTurnedOffAnswersOnlyOverTls() throws Exception {
        InteropConfig tlsOnly = InteropConfig.defaults()
                .withAccess(dir.resolve("api-keys"), false, 0, dir.resolve("pki"), InteropConfig.DEFAULT_RATES);
        ServeConfig serve = new ServeConfig(
                        broker.bootstrapServers(), "status", dir.resolve("view-tls"), "127.0.0.1", -1, 4)
                .withInterop(tlsOnly);
        try (ServingNode tls = ServingNode.start(serve, AuditSink.DISCARD)) {
            assertThat(tls.baseUri().getScheme()).isEqualTo("https");
            HttpClient app = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(certs.caller("app-tls", Role.APP, REGION))
                    .build();
            await().atMost(WAIT)
                    .until(() -> app.send(
                                            HttpRequest.newBuilder(tls.baseUri().resolve("/v1/status/alice"))
                                                    .timeout(WAIT)
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode()
                            == 200);
        }
    }

    private static HttpResponse<String> get(String path, String apiKey) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(node.baseUri().resolve(path)).timeout(WAIT);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String apiKey, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(node.baseUri().resolve(path))
                        .timeout(WAIT)
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(String topic, String key, byte[]... values) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
    }
}
