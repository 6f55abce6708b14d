package org.healthcode.interop.corrections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.audit.AuditLine;
import org.healthcode.contracts.audit.OverrideOutcome;
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
import org.healthcode.interop.overrides.OverridesHandler;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Correction requests end to end on a real broker and the serving process's real HTTP server: a person files and
 * follows a request, operators take it and decide it through the two-person override path, and what reaches the
 * overrides topic is the signed override request and approval the job decodes. The trust boundaries are attacked
 * here too: other persons' requests, the app deciding, one operator proposing and approving, sizes and the limit.
 */
class CorrectionsHttpTest {
    private static final String REGION = "440000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ServingNode node;
    private static String app;
    private static String chen;
    private static String chenAgain;
    private static String li;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(
                broker.bootstrapServers(),
                List.of(Topics.compacted("status", 1), Topics.plain(OverridesHandler.TOPIC, 1)));
        Path keys = dir.resolve("api-keys.txt");
        app = ApiKeys.add(keys, "app-backend", Role.APP, REGION);
        chen = ApiKeys.add(keys, "op-chen", Role.OPERATOR, REGION);
        chenAgain = ApiKeys.add(keys, "Op-Chen", Role.OPERATOR, REGION);
        li = ApiKeys.add(keys, "op-li", Role.OPERATOR, REGION);
        node = start("view");
    }

    private static ServingNode start(String viewDir) throws Exception {
        ServeConfig serve = new ServeConfig(
                        broker.bootstrapServers(), "status", dir.resolve(viewDir), "127.0.0.1", 0, 16)
                .withInterop(InteropConfig.defaults()
                        .withAccess(dir.resolve("api-keys.txt"), false, -1, null, InteropConfig.DEFAULT_RATES)
                        .withRegion(REGION, ""));
        return ServingNode.start(serve, CodesServeConfig.defaults().withRegion(REGION), new Slf4jAuditSink());
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
    void aSecondOperatorApprovesTheProposedCorrectionAndThePersonAndTheAuditSeeTheOutcome() throws Exception {
        HttpResponse<String> filed = post(
                node,
                app,
                "/v1/corrections/me/pat:file",
                "{\"reason\":\"I was never in that area\",\"evidence\":\"train ticket G1234 shows I was in Foshan\"}");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = JSON.readTree(filed.body()).path("id").asText();
        assertThat(ownRequest("pat", id).path("state").asText()).isEqualTo("received");
        assertThat(ids(get(node, chen, "/v1/corrections?state=received"))).contains(id);

        assertThat(post(node, chen, "/v1/corrections/" + id + "/take", "").statusCode())
                .isEqualTo(200);
        assertThat(ownRequest("pat", id).path("state").asText()).isEqualTo("in_review");
        assertThat(post(node, li, "/v1/corrections/" + id + "/take", "").statusCode())
                .as("taken once")
                .isEqualTo(409);
        String expiry = Instant.now().plus(Duration.ofDays(3)).toString().replace("Z", "+00:00");
        HttpResponse<String> proposed = post(
                node,
                chen,
                "/v1/corrections/" + id + "/propose",
                "{\"colour\":\"green\",\"expiry\":\"" + expiry + "\",\"note\":\"the ticket places you in Foshan\"}");
        assertThat(proposed.statusCode()).as(proposed.body()).isEqualTo(200);
        assertThat(ownRequest("pat", id).has("outcome"))
                .as("a proposal is not an outcome")
                .isFalse();

        // the proposer cannot approve, under any spelling of her name
        for (String self : new String[] {chen, chenAgain}) {
            HttpResponse<String> selfApproval = post(node, self, "/v1/corrections/" + id + "/approve", "");
            assertThat(selfApproval.statusCode()).isEqualTo(403);
            assertThat(selfApproval.body()).contains("self-approval");
        }
        HttpResponse<String> approved = post(node, li, "/v1/corrections/" + id + "/approve", "");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode waiting = ownRequest("pat", id);
        assertThat(waiting.path("state").asText())
                .as("approved by two operators, not yet applied by the job")
                .isEqualTo("in_review");
        assertThat(waiting.path("correction").asText()).isEqualTo("approved");
        assertThat(post(node, chen, "/v1/corrections/" + id + "/uphold", "{\"note\":\"n\"}")
                        .statusCode())
                .as("no upholding what the job may be applying")
                .isEqualTo(409);

        // the job's decision, as its audit record: the approval accepted, the override in force
        JsonNode operators = queued(id);
        jobDecision(
                "approval",
                "accepted",
                operators.path("approvalEventId").asText(),
                operators.path("overrideRequestId").asText(),
                "pat",
                "op-li",
                null);
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(ownRequest("pat", id).path("state").asText()).isEqualTo("corrected"));
        JsonNode mine = ownRequest("pat", id);
        assertThat(mine.path("outcome").path("colour").asText()).isEqualTo("green");
        assertThat(mine.path("outcome").path("note").asText()).isEqualTo("the ticket places you in Foshan");
        assertThat(mine.has("proposer")).as("no operator names to the person").isFalse();

        // what the job reads: a signed override request whose basis is the correction, and the second's approval
        List<Event> overrides = decodedOverrides(e -> true);
        Event request = overrides.stream()
                .filter(e -> e.type() == EventType.OVERRIDE_REQUEST && "pat".equals(e.personId()))
                .findFirst()
                .orElseThrow();
        assertThat(request.operator()).isEqualTo("op-chen");
        assertThat(request.colour()).isEqualTo("green");
        assertThat(request.basis()).startsWith("correction request " + id + ": I was never in that area");
        assertThat(overrides)
                .filteredOn(e -> e.type() == EventType.OVERRIDE_APPROVAL
                        && request.requestId().equals(e.requestId()))
                .extracting(Event::operator)
                .containsExactly("op-li");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(JSON.readTree(
                                        get(node, chen, "/v1/audit?subject=pat").body())
                                .path("records"))
                        .extracting(r -> r.path("caller").asText() + " "
                                + r.path("action").asText() + " "
                                + r.path("result").asText())
                        .contains(
                                "app-backend correction received",
                                "op-chen correction in_review",
                                "op-li correction in_review",
                                "op-li approval accepted"));
    }

    @Test
    void theJobsRefusalOfTheApprovalSendsTheRequestBackAndARefusalOfAnotherEventChangesNothing() throws Exception {
        String id = file("ria", "I was abroad");
        post(node, chen, "/v1/corrections/" + id + "/take", "");
        String expiry = Instant.now().plus(Duration.ofDays(2)).toString().replace("Z", "+00:00");
        post(
                node,
                chen,
                "/v1/corrections/" + id + "/propose",
                "{\"colour\":\"green\",\"expiry\":\"" + expiry + "\",\"note\":\"n\"}");
        assertThat(post(node, li, "/v1/corrections/" + id + "/approve", "").statusCode())
                .isEqualTo(200);
        JsonNode approved = queued(id);
        String requestId = approved.path("overrideRequestId").asText();

        // a forged approval of the same request, refused by the job: not this process's approval, nothing changes
        jobDecision("approval", "refused", "forged-1", requestId, null, "mallory", "signature does not verify");
        // the job refuses the approval this process wrote
        jobDecision(
                "approval",
                "refused",
                approved.path("approvalEventId").asText(),
                requestId,
                "ria",
                "op-li",
                "expired: the request's expiry has passed");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                ownRequest("ria", id).path("correction").asText())
                        .isEqualTo("refused"));
        JsonNode mine = ownRequest("ria", id);
        assertThat(mine.path("state").asText()).isEqualTo("in_review");
        assertThat(mine.has("outcome")).isFalse();
        assertThat(mine.toString()).doesNotContain("expired", "op-li");
        JsonNode forOperators = queued(id);
        assertThat(forOperators.path("engine").asText()).isEqualTo("refused");
        assertThat(forOperators.path("engineReason").asText()).startsWith("expired");

        // the operators propose again; the job's acceptance of the new approval corrects it
        HttpResponse<String> again = post(
                node,
                chen,
                "/v1/corrections/" + id + "/propose",
                "{\"colour\":\"green\",\"expiry\":\"" + expiry + "\",\"note\":\"second try\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(ownRequest("ria", id).has("correction"))
                .as("a new proposal waits for its second operator")
                .isFalse();
        assertThat(post(node, li, "/v1/corrections/" + id + "/approve", "").statusCode())
                .isEqualTo(200);
        JsonNode second = queued(id);
        assertThat(second.path("overrideRequestId").asText()).isNotEqualTo(requestId);
        jobDecision(
                "approval",
                "accepted",
                second.path("approvalEventId").asText(),
                second.path("overrideRequestId").asText(),
                "ria",
                "op-li",
                null);
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(ownRequest("ria", id).path("state").asText()).isEqualTo("corrected"));
    }

    @Test
    void oneOperatorUpholdsAColourAndAProposalStillWaitingIsRefusedOnTheOverridesTopic() throws Exception {
        String id = file("uma", "not my colour");
        assertThat(post(node, li, "/v1/corrections/" + id + "/approve", "").statusCode())
                .as("nothing to approve before review")
                .isEqualTo(409);
        post(node, li, "/v1/corrections/" + id + "/take", "");
        String expiry = Instant.now().plus(Duration.ofDays(1)).toString().replace("Z", "+00:00");
        post(
                node,
                li,
                "/v1/corrections/" + id + "/propose",
                "{\"colour\":\"yellow\",\"expiry\":\"" + expiry + "\",\"note\":\"n\"}");
        String requestId = queued(id).path("overrideRequestId").asText();
        assertThat(requestId).startsWith("req-");
        HttpResponse<String> upheld = post(
                node, li, "/v1/corrections/" + id + "/uphold", "{\"note\":\"the lab confirmed the positive test\"}");
        assertThat(upheld.statusCode()).as(upheld.body()).isEqualTo(200);
        JsonNode mine = ownRequest("uma", id);
        assertThat(mine.path("state").asText()).isEqualTo("upheld");
        assertThat(mine.path("outcome").path("note").asText()).isEqualTo("the lab confirmed the positive test");
        assertThat(post(node, chen, "/v1/corrections/" + id + "/approve", "").statusCode())
                .as("decided")
                .isEqualTo(409);
        assertThat(decodedOverrides(e -> requestId.equals(e.requestId())))
                .extracting(Event::type)
                .containsExactly(EventType.OVERRIDE_REQUEST, EventType.OVERRIDE_REFUSAL);
    }

    @Test
    void aPersonReadsAndFilesOnlyTheirOwnRequestsAndTheAppCannotDecide() throws Exception {
        String id = file("pia", "wrong colour");
        assertThat(ids(get(node, app, "/v1/corrections/me/sol"))).doesNotContain(id);
        assertThat(ids(get(node, app, "/v1/corrections/me/pia"))).containsExactly(id);
        HttpResponse<String> forAnother =
                post(node, app, "/v1/corrections/me/sol:file", "{\"personId\":\"pia\",\"reason\":\"r\"}");
        assertThat(forAnother.statusCode()).isEqualTo(403);
        assertThat(ids(get(node, app, "/v1/corrections/me/pia"))).containsExactly(id);

        assertThat(get(node, app, "/v1/corrections").statusCode()).isEqualTo(403);
        for (String action : new String[] {"take", "propose", "approve", "uphold"}) {
            assertThat(post(node, app, "/v1/corrections/" + id + "/" + action, "{}")
                            .statusCode())
                    .as(action)
                    .isEqualTo(403);
        }
        assertThat(post(node, chen, "/v1/corrections/me/pia:file", "{\"reason\":\"r\"}")
                        .statusCode())
                .as("an operator files nothing for a person")
                .isEqualTo(403);
        assertThat(get(node, null, "/v1/corrections/me/pia").statusCode()).isEqualTo(401);
        assertThat(post(node, app, "/v1/corrections/me/440106199001011234:file", "{\"reason\":\"r\"}")
                        .statusCode())
                .as("a raw ID number")
                .isEqualTo(400);
    }

    @Test
    void aPersonFilesAtMostThreeRequestsADayThen429WithRetryAfter() throws Exception {
        for (int i = 0; i < CorrectionsHandler.MAX_PER_PERSON; i++) {
            file("ray", "attempt " + i);
        }
        HttpResponse<String> fourth = post(node, app, "/v1/corrections/me/ray:file", "{\"reason\":\"again\"}");
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(fourth.body()).path("error").asText()).isEqualTo("rate_limited");
        long retryAfter =
                Long.parseLong(fourth.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(86_000L, 86_401L);
        file("rex", "someone else is not limited by ray");
    }

    @Test
    void evidenceAndBodiesAreBounded() throws Exception {
        HttpResponse<String> longEvidence = post(
                node,
                app,
                "/v1/corrections/me/eve:file",
                "{\"reason\":\"r\",\"evidence\":\"" + "x".repeat(CorrectionsService.MAX_EVIDENCE + 1) + "\"}");
        assertThat(longEvidence.statusCode()).isEqualTo(400);
        assertThat(longEvidence.body()).contains("'evidence'", "longer than 4000");
        HttpResponse<String> noReason = post(node, app, "/v1/corrections/me/eve:file", "{\"evidence\":\"e\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("'reason'");
        HttpResponse<String> tooLarge =
                post(node, app, "/v1/corrections/me/eve:file", "{\"reason\":\"" + "x".repeat(70 * 1024) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(ids(get(node, app, "/v1/corrections/me/eve"))).isEmpty();
    }

    @Test
    void requestsLiveOnTheTopicSoARestartedOrSecondReplicaKnowsAndDecidesThem() throws Exception {
        String id = file("ron", "I tested negative twice");
        Path otherView = dir.resolve("replica-view");
        try (ServingNode replica = start("replica-view")) {
            assertThat(ownRequest(replica, "ron", id).path("state").asText()).isEqualTo("received");
            assertThat(post(replica, li, "/v1/corrections/" + id + "/take", "").statusCode())
                    .isEqualTo(200);
        }
        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(ownRequest("ron", id).path("state").asText()).isEqualTo("in_review"));
        try (ServingNode restarted = start("replica-view")) {
            assertThat(otherView).isDirectory();
            assertThat(ownRequest(restarted, "ron", id).path("state").asText()).isEqualTo("in_review");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String file(String person, String reason) throws Exception {
        HttpResponse<String> r =
                post(node, app, "/v1/corrections/me/" + person + ":file", "{\"reason\":\"" + reason + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(JSON.readTree(r.body()).path("state").asText()).isEqualTo("received");
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** What the risk job writes to the audit topic when it decides an override event ({@code OverrideOutcome}). */
    private static void jobDecision(
            String action, String result, String eventId, String requestId, String person, String operator, String why)
            throws Exception {
        ObjectNode line = JSON.createObjectNode();
        line.put(AuditLine.AT, Instant.now().toString());
        line.put(AuditLine.CALLER, operator);
        line.put(AuditLine.ROLE, "operator");
        line.putNull(AuditLine.CALLER_REGION);
        line.put(AuditLine.ACTION, action);
        line.put(AuditLine.SUBJECT, person);
        line.put(AuditLine.RESULT, result);
        line.put(AuditLine.DETAIL, "override " + requestId);
        line.put(OverrideOutcome.EVENT_ID, eventId);
        line.put(OverrideOutcome.REQUEST_ID, requestId);
        line.put(OverrideOutcome.STATE, "accepted".equals(result) ? "active" : "pending");
        if (why != null) {
            line.put(OverrideOutcome.REASON, why);
        }
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            "audit",
                            requestId.getBytes(StandardCharsets.UTF_8),
                            line.toString().getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private static JsonNode ownRequest(String person, String id) throws Exception {
        return ownRequest(node, person, id);
    }

    private static JsonNode ownRequest(ServingNode on, String person, String id) throws Exception {
        HttpResponse<String> r = get(on, app, "/v1/corrections/me/" + person);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        for (JsonNode n : JSON.readTree(r.body()).path("requests")) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError(person + " does not see " + id + ": " + r.body());
    }

    private static JsonNode queued(String id) throws Exception {
        for (JsonNode n :
                JSON.readTree(get(node, chen, "/v1/corrections").body()).path("requests")) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError(id + " is not in the queue");
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("requests").findValuesAsText("id");
    }

    private static HttpResponse<String> get(ServingNode on, String key, String path) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(on.baseUri() + path)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(ServingNode on, String key, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(on.baseUri() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The overrides topic decoded as the job decodes it (the node's public key checks every signature): every
     * event up to the end of the topic that {@code wanted} keeps.
     */
    private static List<Event> decodedOverrides(java.util.function.Predicate<Event> wanted) throws Exception {
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
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    Decoded d = decoder.decodeProto(r.value(), r.topic(), r.partition(), r.offset());
                    assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
                    if (wanted.test(d.event())) {
                        events.add(d.event());
                    }
                }
            }
        }
        return events;
    }
}
