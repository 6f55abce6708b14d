package org.healthcode.interop.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.interop.StatusFixtures.MONDAY_9AM;
import static org.healthcode.interop.StatusFixtures.TUESDAY_9AM;
import static org.healthcode.interop.StatusFixtures.green;
import static org.healthcode.interop.StatusFixtures.redAfterPositiveTest;
import static org.healthcode.interop.StatusFixtures.yellowCloseContact;
import static org.healthcode.interop.codes.CodeServingFixture.VENUE_TOPIC;
import static org.healthcode.interop.codes.CodeServingFixture.WAIT;
import static org.healthcode.interop.codes.CodeServingFixture.withBrokenSignature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.issue.QrImages;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.Verdict;
import org.healthcode.ingest.proto.Event;
import org.healthcode.interop.audit.AuditRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codes and checkpoint endpoints over real HTTP against a serving node on a real broker: issue -> verify round
 * trip, the per-status code cache, unknown persons, QR images that decode back to the code, the trust list, and
 * checkpoint scans that reach the venue topic only for valid codes.
 */
class CodesHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";

    @TempDir
    static Path dir;

    private static CodeServingFixture serving;

    @BeforeAll
    static void start() throws Exception {
        serving = CodeServingFixture.start(dir);
        serving.publish(
                green("alice", 1, MONDAY_9AM),
                redAfterPositiveTest("bob", 1, TUESDAY_9AM),
                yellowCloseContact("carol", 1, MONDAY_9AM),
                green("dora", 1, MONDAY_9AM),
                green("erin", 1, MONDAY_9AM),
                green("fred", 1, MONDAY_9AM));
    }

    @AfterAll
    static void stop() {
        serving.close();
    }

    @Test
    void anIssuedCodeVerifiesAsValidWithThePersonsColour() throws Exception {
        HttpResponse<String> issued = serving.post("/v1/codes", "application/json", "{\"personId\":\"bob\"}");
        assertThat(issued.statusCode()).isEqualTo(200);
        JsonNode code = JSON.readTree(issued.body());
        assertThat(code.path("code").asText()).startsWith("HCR1:");
        assertThat(code.path("colour").asText()).isEqualTo("red");
        assertThat(code.path("since").asText()).isEqualTo(TUESDAY_9AM.toString());
        Instant iat = Instant.parse(code.path("issuedAt").asText());
        assertThat(Duration.between(iat, Instant.parse(code.path("expiresAt").asText())))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(Instant.parse(code.path("refreshAt").asText()))
                .isBefore(Instant.parse(code.path("expiresAt").asText()));
        assertThat(code.path("kid").asText())
                .isEqualTo(serving.node.codes().codes().keyRing().current().kidBase64());

        HttpResponse<String> verified =
                serving.postAsCheckpoint("/v1/verify", TEXT, code.path("code").asText());
        assertThat(verified.statusCode()).isEqualTo(200);
        JsonNode verdict = JSON.readTree(verified.body());
        assertThat(verdict.path("result").asText()).isEqualTo("valid");
        assertThat(verdict.path("colour").asText()).isEqualTo("red");
        assertThat(verdict.path("payload").has("sub")).isFalse();
        assertThat(verified.body()).doesNotContain("bob");
        assertThat(verdict.path("payload").path("iss").asText()).isEqualTo("440000");
        assertThat(verified.body()).doesNotContain("\n");
        assertThat(verified.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER))
                .isEmpty();

        // the code as JSON works the same; the verification was audited with its subject
        HttpResponse<String> asJson = serving.postAsCheckpoint(
                "/v1/verify",
                "application/json",
                JSON.createObjectNode().put("code", code.path("code").asText()).toString());
        assertThat(JSON.readTree(asJson.body()).path("result").asText()).isEqualTo("valid");
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo(AuditRecord.VERIFY);
            assertThat(a.subject()).isEqualTo("bob");
            assertThat(a.result()).isEqualTo("valid");
        });
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo(CodeIssueService.AUDIT_ACTION);
            assertThat(a.subject()).isEqualTo("bob");
        });
    }

    @Test
    void aTamperedCodeIsABadSignatureAndGarbageIsMalformedBothAsHttp200() throws Exception {
        String code = JSON.readTree(serving.post("/v1/codes/alice", TEXT, "").body())
                .path("code")
                .asText();
        HttpResponse<String> tampered = serving.postAsCheckpoint("/v1/verify", TEXT, withBrokenSignature(code));
        assertThat(tampered.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(tampered.body()).path("result").asText()).isEqualTo("bad_signature");
        assertThat(JSON.readTree(tampered.body()).has("payload")).isFalse();

        HttpResponse<String> garbage = serving.postAsCheckpoint("/v1/verify", TEXT, "not a code");
        assertThat(JSON.readTree(garbage.body()).path("result").asText()).isEqualTo("malformed");
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.result()).isEqualTo("bad_signature");
            assertThat(a.subject()).isNull(); // an unverified subject is not recorded as the person
            assertThat(a.detail()).contains("reason=signature_invalid");
        });

        assertThat(serving.postAsCheckpoint("/v1/verify", "application/json", "{\"nocode\":1}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theSameCodeIsHandedOutWhileTheStatusHoldsAndANewOneAfterItChanges() throws Exception {
        JsonNode first = JSON.readTree(serving.post("/v1/codes/carol", TEXT, "").body());
        JsonNode again = JSON.readTree(serving.post("/v1/codes", "application/json", "{\"personId\":\"carol\"}")
                .body());
        assertThat(again.path("code").asText()).isEqualTo(first.path("code").asText());
        assertThat(first.path("colour").asText()).isEqualTo("yellow");

        serving.publish(redAfterPositiveTest("carol", 2, TUESDAY_9AM));
        JsonNode after = JSON.readTree(serving.post("/v1/codes/carol", TEXT, "").body());
        assertThat(after.path("code").asText()).isNotEqualTo(first.path("code").asText());
        assertThat(after.path("colour").asText()).isEqualTo("red");
        assertThat(after.path("since").asText()).isEqualTo(TUESDAY_9AM.toString());
        JsonNode verdict = JSON.readTree(
                serving.postAsCheckpoint("/v1/verify", TEXT, after.path("code").asText())
                        .body());
        assertThat(verdict.path("colour").asText()).isEqualTo("red");
        // the old code still verifies (as yellow) until it expires: a code says what held when it was issued
        JsonNode old = JSON.readTree(
                serving.postAsCheckpoint("/v1/verify", TEXT, first.path("code").asText())
                        .body());
        assertThat(old.path("colour").asText()).isEqualTo("yellow");
        assertThat(serving.audits)
                .filteredOn(a -> "carol".equals(a.subject()) && CodeIssueService.AUDIT_ACTION.equals(a.action()))
                .extracting(AuditRecord::result)
                .containsSubsequence("issued", "reused", "issued");
    }

    @Test
    void anUnknownPersonHasNoCodeAndAMalformedIdIsRefused() throws Exception {
        HttpResponse<String> unknown = serving.post("/v1/codes/nobody", TEXT, "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("unknown_person");
        assertThat(serving.get("/v1/codes/nobody/qr.png").statusCode()).isEqualTo(404);
        assertThat(serving.post("/v1/codes", "application/json", "{\"personId\":\"nobody\"}")
                        .body())
                .contains("\"unknown_person\"");

        HttpResponse<String> malformed = serving.post("/v1/codes/bad%20id", TEXT, "");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"malformed_person_id\"");
        assertThat(serving.post("/v1/codes", "application/json", "[]").body()).contains("\"malformed_request\"");
        assertThat(serving.get("/v1/codes/alice").statusCode()).isEqualTo(405);
    }

    @Test
    void theQrPngDecodesBackToThePersonsCodeAndTheSvgIsInItsColour() throws Exception {
        String code = JSON.readTree(serving.post("/v1/codes/alice", TEXT, "").body())
                .path("code")
                .asText();
        HttpResponse<byte[]> png = serving.getBytes("/v1/codes/alice/qr.png");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(png.headers().firstValue("x-code-colour")).hasValue("green");
        assertThat(QrImages.decode(png.body())).isEqualTo(code);

        HttpResponse<String> svg = serving.get("/v1/codes/bob/qr.svg");
        assertThat(svg.headers().firstValue("content-type")).hasValue("image/svg+xml");
        assertThat(svg.body())
                .startsWith("<svg")
                .contains("fill=\"" + QrRendering.hex(org.healthcode.codes.issue.Colour.RED) + "\"");

        // the checkpoint's photo path: the same PNG uploaded decodes server-side and verifies
        HttpResponse<String> fromImage = serving.postAsCheckpoint("/v1/verify-image", "image/png", png.body());
        assertThat(fromImage.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fromImage.body()).path("colour").asText()).isEqualTo("green");
        HttpResponse<String> noQr = serving.postAsCheckpoint("/v1/verify-image", "image/png", new byte[] {1, 2, 3});
        assertThat(noQr.statusCode()).isEqualTo(422);
        assertThat(noQr.body()).contains("\"no_qr_code\"");
    }

    @Test
    void thePublishedTrustListVerifiesCodesOfflineAndRevalidatesByEtag() throws Exception {
        HttpResponse<String> list = serving.get("/v1/trust-list.json");
        assertThat(list.statusCode()).isEqualTo(200);
        String etag = list.headers().firstValue("etag").orElseThrow();
        String code = JSON.readTree(serving.post("/v1/codes/dora", TEXT, "").body())
                .path("code")
                .asText();

        CoseCrypto crypto = new CoseCrypto(CryptoProvider.BC);
        CodeVerifier offline = new CodeVerifier(
                TrustStore.of(List.of(TrustListJson.read(list.body())), crypto, List.of()),
                crypto,
                CodeVerifier.DEFAULT_CLOCK_SKEW,
                Optional.empty());
        Verdict verdict = offline.verify(code, Instant.now());
        assertThat(verdict.isValid()).isTrue();
        assertThat(verdict.colour()).hasValue("green");

        HttpResponse<String> unchanged = serving.get("/v1/trust-list.json");
        assertThat(unchanged.headers().firstValue("etag")).hasValue(etag);
        HttpResponse<String> notModified = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(serving.base().resolve("/v1/trust-list.json"))
                                .header("If-None-Match", etag)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void aCheckpointScanOfAValidCodeBecomesOneVenueEventAndInvalidScansNone() throws Exception {
        String code = JSON.readTree(serving.post("/v1/codes/dora", TEXT, "").body())
                .path("code")
                .asText();
        // the venue is the checkpoint the key belongs to (gate-7); no parameter names it
        String query = "/v1/verify?scan=in&area=440106";
        HttpResponse<String> tampered = serving.postAsCheckpoint(query, TEXT, withBrokenSignature(code));
        assertThat(JSON.readTree(tampered.body()).path("result").asText()).isEqualTo("bad_signature");
        assertThat(tampered.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER))
                .isEmpty();
        assertThat(serving.postAsCheckpoint(query, TEXT, "HCR1:garbage")
                        .headers()
                        .firstValue(VerifyHandler.SCAN_EVENT_HEADER))
                .isEmpty();
        assertThat(serving.postAsCheckpoint("/v1/verify?checkpoint=bad%20id", TEXT, code)
                        .statusCode())
                .isEqualTo(400);
        assertThat(serving.postAsCheckpoint("/v1/verify?scan=in&area=44", TEXT, code)
                        .statusCode())
                .isEqualTo(400);
        assertThat(serving.postAsCheckpoint("/v1/verify?scan=sideways", TEXT, code)
                        .statusCode())
                .isEqualTo(400);

        Instant before = Instant.now();
        HttpResponse<String> valid = serving.postAsCheckpoint(query, TEXT, code);
        assertThat(JSON.readTree(valid.body()).path("result").asText()).isEqualTo("valid");
        String eventId =
                valid.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER).orElseThrow();

        // everything on the venue topic up to and including the valid scan's event: the invalid scans came first
        // and would sit before it, had they been sent
        List<Event> events = readVenueUntil(eventId).stream()
                .filter(e -> e.getPersonId().equals("dora"))
                .toList();
        assertThat(events).hasSize(1);
        Event scan = events.get(0);
        assertThat(scan.getFeed()).isEqualTo("venue");
        assertThat(scan.getType()).isEqualTo("scan");
        assertThat(scan.getEventId()).isEqualTo(eventId);
        assertThat(scan.getPersonId()).isEqualTo("dora");
        assertThat(scan.getRegion()).isEqualTo("440000");
        assertThat(scan.getScan().getVenueId()).isEqualTo("gate-7");
        assertThat(scan.getScan().getAreaCode()).isEqualTo("440106");
        assertThat(scan.getScan().getDirection()).isEqualTo("in");
        Instant time = java.time.OffsetDateTime.parse(scan.getTime()).toInstant();
        assertThat(time).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.subject()).isEqualTo("dora");
            assertThat(a.caller()).isEqualTo("gate-7"); // the authenticated checkpoint, from the access-control seam
            assertThat(a.detail()).contains("checkpoint=gate-7", eventId);
        });
    }

    @Test
    void aCheckpointRecordsScansOnlyAsItselfAndAnOperatorOnlyVerifies() throws Exception {
        String code = JSON.readTree(serving.post("/v1/codes/erin", TEXT, "").body())
                .path("code")
                .asText();
        // gate-7's key naming another checkpoint: refused, nothing recorded, not even the verdict
        HttpResponse<String> forged = serving.postAsCheckpoint("/v1/verify?checkpoint=gate-9&scan=in", TEXT, code);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("\"forbidden\"", "gate-7", "gate-9");
        assertThat(forged.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER)).isEmpty();
        // an operator may verify but not record a scan, under any name
        assertThat(JSON.readTree(serving.postWithKey(serving.operatorKey, "/v1/verify", TEXT, code)
                                .body())
                        .path("result")
                        .asText())
                .isEqualTo("valid");
        assertThat(serving.postWithKey(serving.operatorKey, "/v1/verify?scan=out", TEXT, code)
                        .statusCode())
                .isEqualTo(403);
        assertThat(serving.postWithKey(serving.operatorKey, "/v1/verify?checkpoint=ops-1", TEXT, code)
                        .statusCode())
                .isEqualTo(403);
        // naming itself is allowed (older clients send checkpoint=ID), and scan=out records the way out
        HttpResponse<String> itself = serving.postAsCheckpoint("/v1/verify?checkpoint=gate-7&scan=out", TEXT, code);
        assertThat(itself.statusCode()).isEqualTo(200);
        String eventId =
                itself.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER).orElseThrow();
        List<Event> erins = readVenueUntil(eventId).stream()
                .filter(e -> e.getPersonId().equals("erin"))
                .toList();
        assertThat(erins).singleElement().satisfies(e -> {
            assertThat(e.getScan().getVenueId()).isEqualTo("gate-7");
            assertThat(e.getScan().getDirection()).isEqualTo("out");
            assertThat(e.getScan().getAreaCode()).isEqualTo("440000"); // the region when no area is given
        });
    }

    @Test
    void inDevelopmentModeAVerificationWithoutCredentialsRecordsUnderTheNamedCheckpoint() throws Exception {
        // this fixture runs with --dev-open-lookups: no credential at all -> a development checkpoint
        String code = JSON.readTree(serving.post("/v1/codes/fred", TEXT, "").body())
                .path("code")
                .asText();
        HttpResponse<String> unnamed = serving.post("/v1/verify?scan=in", TEXT, code);
        assertThat(unnamed.statusCode()).isEqualTo(400);
        assertThat(unnamed.body()).contains("checkpoint");
        HttpResponse<String> named = serving.post("/v1/verify?checkpoint=dev-gate&scan=in", TEXT, code);
        assertThat(JSON.readTree(named.body()).path("result").asText()).isEqualTo("valid");
        String eventId =
                named.headers().firstValue(VerifyHandler.SCAN_EVENT_HEADER).orElseThrow();
        assertThat(readVenueUntil(eventId).stream()
                        .filter(e -> e.getPersonId().equals("fred"))
                        .toList())
                .singleElement()
                .satisfies(e -> assertThat(e.getScan().getVenueId()).isEqualTo("dev-gate"));
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.subject()).isEqualTo("fred");
            assertThat(a.caller()).isEqualTo("dev-open");
            assertThat(a.detail()).contains("checkpoint=dev-gate", eventId);
        });
        // a presented credential is never downgraded to the development fallback
        // (own client: a refusal before the body is read may cost the connection, which the shared client would reuse)
        HttpResponse<String> badKey = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(serving.base().resolve("/v1/verify?checkpoint=dev-gate"))
                                .header("Authorization", "Bearer hck_not-a-key")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(code))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(badKey.statusCode()).isEqualTo(401);
    }

    private static List<Event> readVenueUntil(String eventId) throws Exception {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, serving.broker.bootstrapServers());
        p.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<Event> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(VENUE_TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Event e = Event.parseFrom(r.value());
                    events.add(e);
                    if (e.getEventId().equals(eventId)) {
                        return events;
                    }
                }
            }
        }
        throw new AssertionError("scan event " + eventId + " did not reach " + VENUE_TOPIC + "; read " + events);
    }
}
