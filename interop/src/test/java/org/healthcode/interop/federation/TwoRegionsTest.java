package org.healthcode.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.Verdict;
import org.healthcode.contracts.exchange.RiskPersonNotice;
import org.healthcode.contracts.testing.Golden;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.HubNode;
import org.healthcode.interop.InteropServing;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.TestCertificates;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.codes.VerifyHandler;
import org.healthcode.interop.config.CodesServeConfig;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;
import org.healthcode.interop.trust.HubRegistrar;
import org.healthcode.interop.trust.TrustBundle;
import org.healthcode.interop.trust.TrustListClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two regions (Guangdong 440000 = A, Shanghai 310000 = B) and a national hub on loopback, one broker with per-region
 * topic prefixes, each region with its own keys, status view and credentials; all talk mutual TLS with certificates
 * from one development CA.
 */
class TwoRegionsTest {
    private static final String A = "440000";
    private static final String B = "310000";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant MONDAY_9AM = Instant.parse("2022-04-04T09:00:00Z");

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static HubNode hub;
    private static ServingNode regionA;
    private static ServingNode regionB;
    private static TestCertificates certs;
    private static String appKeyA;
    private static String checkpointKeyA;
    private static String operatorKeyA;

    @BeforeAll
    static void startTwoRegionsAndAHub() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(
                broker.bootstrapServers(),
                List.of(
                        Topics.compacted("a.status", 1),
                        Topics.compacted("b.status", 1),
                        Topics.plain(CodesServeConfig.DEFAULT_VENUE_TOPIC, 1)));
        certs = TestCertificates.in(dir);
        // each region's signing keys exist before the hub: their first trust lists are enrolled out of band
        Path enrolA = codesOf(A, dir.resolve("a")).writeTrustList(dir.resolve("enrol-a.json"), Instant.now());
        Path enrolB = codesOf(B, dir.resolve("b")).writeTrustList(dir.resolve("enrol-b.json"), Instant.now());

        InteropConfig hubOptions = InteropConfig.defaults()
                .withMode(InteropConfig.MODE_HUB)
                .withAccess(null, false, 0, certs.hub(dir.resolve("hub-pki")), InteropConfig.DEFAULT_RATES)
                .withHub(null, null, List.of(enrolA, enrolB), Map.of());
        hub = HubNode.start(
                new ServeConfig(null, "status", dir.resolve("hub"), "127.0.0.1", 0, 16).withInterop(hubOptions),
                AuditSink.DISCARD);
        Path hubKey = hub.hub().publicKeyFile();

        Path keysA = dir.resolve("a-api-keys");
        appKeyA = ApiKeys.add(keysA, "app-backend", Role.APP, A);
        checkpointKeyA = ApiKeys.add(keysA, "gate-7", Role.CHECKPOINT, A);
        operatorKeyA = ApiKeys.add(keysA, "ops-li", Role.OPERATOR, A);

        Path pkiA = certs.region(A, dir.resolve("a-pki"));
        Path pkiB = certs.region(B, dir.resolve("b-pki"));
        regionB = ServingNode.start(region(B, "b.", dir.resolve("b"), null, pkiB, hubKey, Map.of()), AuditSink.DISCARD);
        regionA = ServingNode.start(
                region(
                        A,
                        "a.",
                        dir.resolve("a"),
                        keysA,
                        pkiA,
                        hubKey,
                        Map.of(B, regionB.interop().tlsUri().orElseThrow())),
                AuditSink.DISCARD);
        // both registered (A signed its list with its current key) and A's list is in B's copy after B's next refresh
        await().atMost(WAIT).until(() -> hub.hub().current().bundle().serial() >= 2);
        regionB.interop().refreshTrust();
        regionA.interop().refreshTrust();
    }

    private static ServeConfig region(
            String code, String prefix, Path data, Path apiKeys, Path pkiDir, Path hubKey, Map<String, URI> peers) {
        InteropConfig options = InteropConfig.defaults()
                .withRegion(code, prefix)
                .withAccess(
                        apiKeys,
                        false,
                        0,
                        pkiDir,
                        Map.of(Role.APP, 100, Role.CHECKPOINT, 100, Role.REGION, 100, Role.OPERATOR, 4, Role.HUB, 10))
                .withHub(hub.baseUri(), hubKey, List.of(), peers);
        return new ServeConfig(broker.bootstrapServers(), prefix + "status", data.resolve("view"), "127.0.0.1", 0, 64)
                .withInterop(options);
    }

    private static RegionCodes codesOf(String code, Path data) throws Exception {
        return RegionCodes.open(CodesConfig.defaults(code, data.resolve("view").resolve("codes")), Instant.now());
    }

    @AfterAll
    static void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {regionA, regionB, hub, broker}) {
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
    void aCodeOfRegionAVerifiesAtACheckpointOfBUntilAWithdrawsItsKeyAndBRefreshes() throws Exception {
        RegionCodes codesA = regionA.interop().regionCodes();
        String code =
                codesA.issue("pa-walker", Colour.RED, MONDAY_9AM, Instant.now()).text();
        HttpClient checkpointOfB = mtls("gate-sh-1", Role.CHECKPOINT, B);

        Verdict before = verifyAtCheckpoint(checkpointOfB, code);
        assertThat(before.isValid()).as(before.toJsonLine()).isTrue();
        assertThat(before.colour()).hasValue("red");
        // B's own verification service trusts A's keys too (from the national list): a visitor's code verifies there,
        // and, being another region's pseudonym, never becomes one of B's venue scans
        HttpResponse<String> atB =
                send(checkpointOfB, regionB.interop().tlsUri().orElseThrow(), "POST", "/v1/verify?scan=in", null, code);
        assertThat(JSON.readTree(atB.body()).path("result").asText())
                .as(atB.body())
                .isEqualTo("valid");
        assertThat(JSON.readTree(atB.body()).path("colour").asText()).isEqualTo("red");
        assertThat(atB.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER)).isEmpty();

        // the hub answers 304 to a client that has the current list
        HttpResponse<String> first = checkpointOfB.send(
                HttpRequest.newBuilder(hub.baseUri().resolve("/v1/trust-list")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        HttpResponse<String> again = checkpointOfB.send(
                HttpRequest.newBuilder(hub.baseUri().resolve("/v1/trust-list"))
                        .header(
                                "If-None-Match",
                                first.headers().firstValue("ETag").orElseThrow())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        HttpResponse<String> since = checkpointOfB.send(
                HttpRequest.newBuilder(hub.baseUri().resolve("/v1/trust-list"))
                        .header(
                                "If-Modified-Since",
                                first.headers().firstValue("Last-Modified").orElseThrow())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(since.statusCode()).isEqualTo(304);

        // A withdraws the key that signed the code, signing the withdrawal with its next key
        HttpClient regionAClient = mtls("region-" + A, Role.REGION, A);
        String kid = codesA.keyRing().current().kidBase64();
        HubRegistrar.Answer answer = new HubRegistrar(hub.baseUri(), regionAClient)
                .register(
                        codesA.trustList(Instant.now()),
                        List.of(kid),
                        codesA.keyRing().next(),
                        codesA);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);

        // B has not refreshed yet: its checkpoints still trust the key
        assertThat(verifyAtCheckpoint(checkpointOfB, code).isValid()).isTrue();
        assertThat(regionB.interop().refreshTrust()).isEqualTo(TrustListClient.Outcome.UPDATED);
        Verdict after = verifyAtCheckpoint(checkpointOfB, code);
        assertThat(after.toJson().path("result").asText())
                .as(after.toJsonLine())
                .isEqualTo("unknown_key");
        HttpResponse<String> atBAfter =
                send(checkpointOfB, regionB.interop().tlsUri().orElseThrow(), "POST", "/v1/verify", null, code);
        assertThat(JSON.readTree(atBAfter.body()).path("result").asText())
                .as(atBAfter.body())
                .isEqualTo("unknown_key");

        // a withdrawn key can neither come back nor sign: the hub refuses, and B only registers as itself
        HubRegistrar.Answer back = new HubRegistrar(hub.baseUri(), regionAClient)
                .register(
                        codesA.trustList(Instant.now()),
                        List.of(),
                        codesA.keyRing().current(),
                        codesA);
        assertThat(back.status()).isEqualTo(403);
        assertThat(back.body()).contains("\"registration_rejected\"");
        RegionCodes codesB = regionB.interop().regionCodes();
        HubRegistrar.Answer impostor = new HubRegistrar(hub.baseUri(), mtls("region-" + B, Role.REGION, B))
                .register(
                        codesA.trustList(Instant.now()),
                        List.of(),
                        codesA.keyRing().next(),
                        codesA);
        assertThat(impostor.status()).isEqualTo(403);
        assertThat(codesB.keyRing().region()).isEqualTo(B);
    }

    @Test
    void aKeyWithdrawnWithKeysWithdrawReachesTheOtherRegionThroughTheHubAtTheNextRefreshes() throws Exception {
        HttpClient checkpointOfB = mtls("gate-sh-2", Role.CHECKPOINT, B);
        // ./healthcode keys withdraw works on A's key directory beside the running node, as this instance does
        RegionCodes keysOfA = regionA.interop().regionCodes();
        // first bring the hub and A's node to A's ring as it is now (whatever an earlier test withdrew at the hub)
        withdrawAndAwaitRegistration(keysOfA, keysOfA.keyRing().current().kidBase64());
        String kid = keysOfA.keyRing().current().kidBase64();
        String code = keysOfA.issue("pa-traveller", Colour.GREEN, MONDAY_9AM, Instant.now())
                .text();
        regionB.interop().refreshTrust();
        assertThat(verifyAtCheckpoint(checkpointOfB, code).isValid()).isTrue();

        withdrawAndAwaitRegistration(keysOfA, kid);
        // the hub has it withdrawn for good; B still trusts it until its own refresh
        assertThat(JSON.readTree(hub.hub()
                                .publicKeyFile()
                                .resolveSibling("registry.json")
                                .toFile())
                        .path("regions")
                        .path(A)
                        .path("withdrawn")
                        .toString())
                .contains(kid);
        assertThat(verifyAtCheckpoint(checkpointOfB, code).isValid()).isTrue();
        regionB.interop().refreshTrust();
        Verdict after = verifyAtCheckpoint(checkpointOfB, code);
        assertThat(after.toJson().path("result").asText())
                .as(after.toJsonLine())
                .isEqualTo("unknown_key");
        // codes A signs from now on verify at B
        String fresh = keysOfA.issue("pa-traveller", Colour.GREEN, MONDAY_9AM, Instant.now())
                .text();
        assertThat(verifyAtCheckpoint(checkpointOfB, fresh).isValid()).isTrue();
    }

    /**
     * Withdraws {@code kid} from A's ring on disk, then refreshes A until its node has registered the ring without
     * the key at the hub (the node reads its key files again at most once a second).
     */
    private static void withdrawAndAwaitRegistration(RegionCodes keysOfA, String kid) throws Exception {
        keysOfA.withdraw(kid, Instant.now());
        await().atMost(WAIT).until(() -> {
            regionA.interop().refreshTrust();
            return hub.hub().current().bundle().lists().stream()
                    .filter(l -> l.region().equals(A))
                    .flatMap(l -> l.keys().stream())
                    .noneMatch(k -> k.kid().equals(kid));
        });
    }

    @Test
    void aCheckpointRecordsScansUnderItsCertificatesNameOnlyAndWithoutCredentialsNothingIsVerified() throws Exception {
        String local = regionB.codes()
                .codes()
                .issue("pb-local", Colour.YELLOW, MONDAY_9AM, Instant.now())
                .text();
        HttpClient gate = mtls("gate-sh-1", Role.CHECKPOINT, B);
        URI tls = regionB.interop().tlsUri().orElseThrow();
        HttpResponse<String> scanned = send(gate, tls, "POST", "/v1/verify?scan=in&area=310104", null, local);
        assertThat(JSON.readTree(scanned.body()).path("result").asText())
                .as(scanned.body())
                .isEqualTo("valid");
        // the event id names the venue: the certificate's CN
        assertThat(scanned.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER))
                .hasValueSatisfying(id -> assertThat(id).startsWith("checkpoint-gate-sh-1-"));
        HttpResponse<String> forged = send(gate, tls, "POST", "/v1/verify?scan=in&checkpoint=gate-sh-9", null, local);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER)).isEmpty();
        // B's checkpoint cannot file visits in A's venue feed
        String ofA = regionA.codes()
                .codes()
                .issue("pa-local", Colour.GREEN, MONDAY_9AM, Instant.now())
                .text();
        assertThat(send(gate, regionA.interop().tlsUri().orElseThrow(), "POST", "/v1/verify?scan=in", null, ofA)
                        .statusCode())
                .isEqualTo(403);
        // outside development mode there is no fallback: no credential, no verification
        assertThat(send(plain(), regionB.baseUri(), "POST", "/v1/verify?checkpoint=gate-sh-1", null, local)
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void aRedPersonOfAWhoTravelsToBLandsOnBsInteropFeedWithoutAsReasons() throws Exception {
        publish("a.status", walkerRed("pa-traveller", "nat-traveller"));
        await().atMost(WAIT)
                .until(() -> get(plain(), regionA.baseUri(), "/v1/status/pa-traveller", appKeyA)
                                .statusCode()
                        == 200);

        HttpResponse<String> queued = send(
                plain(),
                regionA.baseUri(),
                "POST",
                "/v1/exchange/outbox",
                operatorKeyA,
                "{\"personId\":\"pa-traveller\",\"toRegion\":\"" + B + "\"}");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        JsonNode notice = JSON.readTree(queued.body());

        List<JsonNode> events = readAll("b.interop", 1);
        assertThat(events).hasSize(1);
        JsonNode e = events.get(0);
        assertThat(e.path("feed").asText()).isEqualTo("interop");
        assertThat(e.path("type").asText()).isEqualTo("risk_person");
        assertThat(e.path("nationalId").asText()).isEqualTo("nat-traveller");
        assertThat(e.path("colour").asText()).isEqualTo("red");
        assertThat(e.path("reasonCategory").asText()).isEqualTo("infection");
        assertThat(e.path("region").asText()).isEqualTo(A);
        assertThat(e.toString()).doesNotContain("positive_test", "pa-traveller", "health-");

        // redelivery is acknowledged and not ingested twice
        HttpClient regionAClient = mtls("region-" + A, Role.REGION, A);
        HttpResponse<String> redelivered = regionAClient.send(
                HttpRequest.newBuilder(regionB.interop().tlsUri().orElseThrow().resolve("/v1/exchange/risk-persons"))
                        .POST(HttpRequest.BodyPublishers.ofString(notice.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(redelivered.body()).contains("\"duplicate\"");
        // a region cannot push in another region's name
        HttpResponse<String> forged = mtls("region-" + B, Role.REGION, B)
                .send(
                        HttpRequest.newBuilder(
                                        regionB.interop().tlsUri().orElseThrow().resolve("/v1/exchange/risk-persons"))
                                .POST(HttpRequest.BodyPublishers.ofString(notice.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("\"wrong_region\"");
        assertThat(readAll("b.interop", 1)).hasSize(1);
    }

    @Test
    void aRiskJobsRequestOnExchangeOutReachesBsJobFeedWithNoManualStep() throws Exception {
        // what A's risk job writes when its red person's carrier stay is in B (risk-model ExchangeTrigger; same
        // JSON and idempotency key: see ExchangeRequestJsonTest there and noticeFormatMatchesTheRiskJobs here)
        RiskPersonNotice request = RiskPersonNotice.of(
                A, B, "nat-stayer", "red", "infection", MONDAY_9AM, MONDAY_9AM.plus(Duration.ofDays(14)));
        publishText("a.exchange-out", B, request.toJson().toString());
        publishText(
                "a.exchange-out", B, request.toJson().toString()); // a job restored from a checkpoint writes it again

        List<JsonNode> events = readAll("b.interop", 1);
        List<JsonNode> mine = events.stream()
                .filter(e -> e.path("nationalId").asText().equals("nat-stayer"))
                .toList();
        assertThat(mine).hasSize(1);
        // B's job decodes it as a risk_person event of region A (ingest's decoder, as the job runs it)
        var decoded = new org.healthcode.ingest.decode.StandardEventDecoder(
                        new org.healthcode.ingest.pseudonym.Pseudonymiser(
                                org.healthcode.ingest.pseudonym.RegionSecret.ofBytes(new byte[32])))
                .decodeJsonLine(JSON.writeValueAsBytes(mine.get(0)), 1);
        assertThat(decoded.isOk()).as("%s", decoded.rejected()).isTrue();
        assertThat(decoded.event().type().wireName()).isEqualTo("risk_person");
        assertThat(decoded.event().region()).isEqualTo(A);
        assertThat(decoded.event().colour()).isEqualTo("red");
        assertThat(decoded.event().from()).isEqualTo(MONDAY_9AM.toEpochMilli());
        // B never sees A's reasons: the record has no field beyond the minimal ones
        assertThat(mine.get(0).toString()).doesNotContain("positive_test", "conditions", "cause");
        // and B's audit shows the push it received (who, what, result)
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                regionB.interop().auditLog().orElseThrow().aboutSubject("nat-stayer"))
                        .extracting(r -> r.action() + ":" + r.result())
                        .contains("exchange_in:accepted"));

        // the person turns green in A: A's job writes a withdrawal, which reaches B's feed as a green risk_person
        Instant green = MONDAY_9AM.plus(Duration.ofDays(3));
        publishText(
                "a.exchange-out",
                B,
                RiskPersonNotice.of(A, B, "nat-stayer", "green", "infection", green, green.plus(Duration.ofDays(14)))
                        .toJson()
                        .toString());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(readAll("b.interop", 1).stream()
                                .filter(e -> e.path("nationalId").asText().equals("nat-stayer"))
                                .map(e -> e.path("colour").asText()))
                        .containsExactly("red", "green"));
    }

    @Test
    void noticeFormatMatchesTheRiskJobs() {
        // the job's notices (pinned in risk-model's ExchangeRequestJsonTest) are read as the serving process reads
        RiskPersonNotice n = RiskPersonNotice.parse(Golden.NOTICE_JSON);
        assertThat(n.problems()).isEmpty();
        assertThat(n.idempotencyKey())
                .isEqualTo(RiskPersonNotice.of(
                                n.fromRegion(),
                                n.toRegion(),
                                n.nationalId(),
                                n.colour(),
                                n.reasonCategory(),
                                n.since(),
                                n.expiry())
                        .idempotencyKey());
    }

    private static void publishText(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.setProperty(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    @Test
    void bSeesOnlyColourSinceValidityAndRegionAndACheckpointNeverSeesReasons() throws Exception {
        publish("a.status", walkerRed("pa-walker", "nat-walker"));
        await().atMost(WAIT)
                .until(() -> get(plain(), regionA.baseUri(), "/v1/status/pa-walker", appKeyA)
                                .statusCode()
                        == 200);
        URI aTls = regionA.interop().tlsUri().orElseThrow();

        HttpResponse<String> federated = get(mtls("region-" + B, Role.REGION, B), aTls, "/v1/status/nat-walker", null);
        assertThat(federated.statusCode()).isEqualTo(200);
        JsonNode f = JSON.readTree(federated.body());
        assertThat(f.path("colour").asText()).isEqualTo("red");
        assertThat(f.path("issuingRegion").asText()).isEqualTo(A);
        assertThat(f.has("validUntil")).isTrue();
        assertThat(federated.body()).doesNotContain("positive_test", "conditions", "pa-walker", "health-");
        // another region never reaches a person by this region's own id
        assertThat(get(mtls("region-" + B, Role.REGION, B), aTls, "/v1/status/pa-walker", null)
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> batch = send(
                mtls("region-" + B, Role.REGION, B),
                aTls,
                "POST",
                "/v1/status:batch",
                null,
                "{\"ids\":[\"nat-walker\",\"nat-nobody\"]}");
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(batch.body()).path("statuses")).hasSize(1);
        assertThat(batch.body()).contains("\"unknown\":[\"nat-nobody\"]").doesNotContain("positive_test");

        // a checkpoint credential (certificate or API key) gets colour only, and no audit
        HttpResponse<String> gate = get(mtls("gate-gz-1", Role.CHECKPOINT, A), aTls, "/v1/status/pa-walker", null);
        assertThat(gate.statusCode()).isEqualTo(200);
        assertThat(gate.body()).contains("\"colour\":\"red\"").doesNotContain("positive_test", "conditions");
        HttpResponse<String> gateKey = get(plain(), regionA.baseUri(), "/v1/status/pa-walker", checkpointKeyA);
        assertThat(gateKey.body()).doesNotContain("positive_test", "conditions");
        HttpResponse<String> gateAudit = get(plain(), regionA.baseUri(), "/v1/audit/me/pa-walker", checkpointKeyA);
        assertThat(gateAudit.statusCode()).isEqualTo(403);
        assertThat(gateAudit.body()).contains("\"forbidden\"");
        // the app gets the full status with reasons; no credentials or a wrong key get 401
        assertThat(get(plain(), regionA.baseUri(), "/v1/status/pa-walker", appKeyA)
                        .body())
                .contains("positive_test");
        HttpResponse<String> anonymous = get(plain(), regionA.baseUri(), "/v1/status/pa-walker", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"unauthenticated\"");
        assertThat(get(plain(), regionA.baseUri(), "/v1/status/pa-walker", "hck_wrong")
                        .statusCode())
                .isEqualTo(401);

        // the person sees who looked them up: region B and the checkpoint among them
        await().atMost(WAIT).untilAsserted(() -> {
            String mine = get(plain(), regionA.baseUri(), "/v1/audit/me/pa-walker", appKeyA)
                    .body();
            assertThat(mine)
                    .contains("\"callerRegion\":\"" + B + "\"", "\"role\":\"region\"", "\"caller\":\"gate-gz-1\"");
        });
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(get(plain(), regionA.baseUri(), "/v1/audit?caller=gate-7", operatorKeyA)
                                .body())
                        .contains("\"subject\":\"pa-walker\""));
    }

    @Test
    void anOperatorOverItsRateLimitGets429WithRetryAfter() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(get(plain(), regionA.baseUri(), "/v1/audit?caller=nobody", operatorKeyA));
        }
        HttpResponse<String> limited =
                answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
        assertThat(limited.body()).contains("\"rate_limited\"");
        assertThat(answers.get(0).statusCode()).isEqualTo(200);
    }

    private static Verdict verifyAtCheckpoint(HttpClient checkpoint, String code) throws Exception {
        // a checkpoint fetches its region's copy of the national list and checks the hub signature itself
        HttpResponse<String> r =
                get(checkpoint, regionB.interop().tlsUri().orElseThrow(), "/v1/trust-list/national", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        CoseCrypto crypto = new CoseCrypto(CryptoProvider.BC);
        PublicKey hubKey = InteropServing.hubKey(hub.hub().publicKeyFile());
        TrustBundle bundle = TrustBundle.parse(r.body());
        bundle.verify(hubKey, crypto);
        TrustStore store = TrustStore.of(bundle.lists(), crypto, List.of(hubKey));
        return new CodeVerifier(store, crypto, CodeVerifier.DEFAULT_CLOCK_SKEW, Optional.empty())
                .verify(code, Instant.now());
    }

    private static StatusRecord walkerRed(String person, String nationalId) {
        return StatusRecord.newBuilder()
                .setPersonId(person)
                .setNationalId(nationalId)
                .setColour("red")
                .setSinceMs(MONDAY_9AM.toEpochMilli())
                .addConditions(ConditionRecord.newBuilder()
                        .setReason("positive_test")
                        .addCause("health-" + person)
                        .setStartMs(MONDAY_9AM.toEpochMilli())
                        .setColour("red")
                        .setEndsWith("two negative tests at least 24 h apart"))
                .setRuleVersion("2022.04")
                .setSeq(1)
                .setEffectiveMs(MONDAY_9AM.toEpochMilli())
                .build();
    }

    private static void publish(String topic, StatusRecord s) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, s.getPersonId().getBytes(), s.toByteArray()))
                    .get();
        }
    }

    /** The feed events on a topic (Protobuf, as the risk job reads them), in their flat JSON form. */
    private static List<JsonNode> readAll(String topic, int atLeast) throws Exception {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.setProperty(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + WAIT.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < end && System.nanoTime() < quietUntil) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(org.healthcode.ingest.wire.EventTrees.toTree(
                            org.healthcode.ingest.proto.Event.parseFrom(r.value())));
                }
                if (out.size() >= atLeast && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos(); // catch any extra record
                }
            }
        }
        return out;
    }

    private static HttpClient mtls(String name, Role role, String region) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(certs.caller(name, role, region))
                .build();
    }

    private static HttpClient plain() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String path, String apiKey) throws Exception {
        return send(http, base, "GET", path, apiKey, null);
    }

    private static HttpResponse<String> send(
            HttpClient http, URI base, String method, String path, String apiKey, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(WAIT)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
