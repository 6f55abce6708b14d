package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.ingest.overrides.OverrideEvents;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.ingest.proto.Event;

/**
 * A correction request (纠错) through the serving process and the live risk job, for launcher end-to-end tests that
 * already run both: the serving process started with {@link #apiKeysFile} ({@code --api-keys}) and the job with
 * {@link #overrideKey} ({@code --override-key}), both made by {@link #prepare} before either starts.
 *
 * <p>{@link #disputeAndCorrect} walks a red person's dispute: operator A proposes green for longer than the rule
 * set lets an override last, and the job refuses the request (the person sees it refused); A proposes again; an
 * approval forged with another key is refused by the job and changes nothing; A cannot approve her own proposal;
 * operator B approves, the job accepts it, and only then does the request read {@code corrected}, the person's
 * status green by the override, and the audit show the job's decision to operators and to the person.
 */
final class CorrectionThroughTheJob {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final String operatorA;
    private final String operatorB;
    private final Path apiKeysFile;
    private final Path overrideKey;

    private CorrectionThroughTheJob(String operatorA, String operatorB, Path apiKeysFile, Path overrideKey) {
        this.operatorA = operatorA;
        this.operatorB = operatorB;
        this.apiKeysFile = apiKeysFile;
        this.overrideKey = overrideKey;
    }

    /**
     * Two operators' API keys of region 440000 in {@code work/api-keys.txt}, and the serving process's override key
     * pair made in its data directory {@code servingDataDir} (the serving process opens it there; the job is given
     * its public half).
     */
    static CorrectionThroughTheJob prepare(Path work, Path servingDataDir) throws Exception {
        Path keys = work.resolve("api-keys.txt");
        String a = apiKey(keys, "op-a");
        String b = apiKey(keys, "op-b");
        Path dir = servingDataDir.resolve("override-key");
        OverrideSignatures.openOrCreate(dir);
        return new CorrectionThroughTheJob(a, b, keys, dir.resolve(OverrideSignatures.PUBLIC_KEY_FILE));
    }

    Path apiKeysFile() {
        return apiKeysFile;
    }

    Path overrideKey() {
        return overrideKey;
    }

    /** {@code person}, red now, disputes it; see the class comment. */
    void disputeAndCorrect(String http, String bootstrap, String person) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> filed = send(
                client,
                null,
                http + "/v1/corrections/me/" + person + ":file",
                "{\"reason\":\"I declared the wrong district\",\"evidence\":\"my hotel bill shows 440106\"}");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = JSON.readTree(filed.body()).path("id").asText();
        assertThat(send(client, operatorA, http + "/v1/corrections/" + id + "/take", "")
                        .statusCode())
                .isEqualTo(200);

        // beyond the rule set's 14 days: the job refuses the request, and the person sees the refusal
        propose(client, http, id, Instant.now().plus(Duration.ofDays(20)));
        awaitOwn(
                client,
                http,
                person,
                id,
                r -> "refused".equals(r.path("correction").asText()));
        assertThat(operatorsView(client, http, id).path("engineReason").asText())
                .contains("expiry beyond the rule set's bound");

        propose(client, http, id, Instant.now().plus(Duration.ofDays(3)));
        String requestId =
                operatorsView(client, http, id).path("overrideRequestId").asText();

        // an approval signed with a key that is not the serving process's: the job refuses it, nothing changes
        OverrideEvents forger = new OverrideEvents(
                new OverrideSignatures.Signer(OverrideSignatures.generate().getPrivate()), "440000");
        Event forged = forger.approval("forged-approval", Instant.now(), requestId, "op-mallory");
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(
                            "overrides", forged.getEventId().getBytes(StandardCharsets.UTF_8), forged.toByteArray()))
                    .get();
        }
        awaitAudit(client, http, "caller=op-mallory", "op-mallory approval refused");
        JsonNode stillInReview = own(client, http, person, id);
        assertThat(stillInReview.path("state").asText()).isEqualTo("in_review");
        assertThat(stillInReview.has("correction")).as(stillInReview.toString()).isFalse();
        assertThat(status(client, http, person).path("colour").asText()).isEqualTo("red");

        HttpResponse<String> self = send(client, operatorA, http + "/v1/corrections/" + id + "/approve", "");
        assertThat(self.statusCode()).as(self.body()).isEqualTo(403);
        HttpResponse<String> approved = send(client, operatorB, http + "/v1/corrections/" + id + "/approve", "");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).path("state").asText())
                .as("approved by two operators; corrected only once the job accepts it")
                .isEqualTo("in_review");

        JsonNode corrected = awaitOwn(
                client,
                http,
                person,
                id,
                r -> "corrected".equals(r.path("state").asText()));
        assertThat(corrected.path("outcome").path("colour").asText()).isEqualTo("green");
        JsonNode green = status(client, http, person);
        assertThat(green.path("colour").asText()).isEqualTo("green");
        assertThat(green.path("conditions").findValuesAsText("reason")).contains("override");
        awaitAudit(client, http, "subject=" + person, "op-b approval accepted");
        HttpResponse<String> ownAudit =
                client.send(get(null, http + "/v1/audit/me/" + person), HttpResponse.BodyHandlers.ofString());
        assertThat(ownAudit.body()).contains("\"action\":\"approval\"", "\"result\":\"accepted\"", requestId);
    }

    private void propose(HttpClient client, String http, String id, Instant expiry) throws Exception {
        HttpResponse<String> r = send(
                client,
                operatorA,
                http + "/v1/corrections/" + id + "/propose",
                "{\"colour\":\"green\",\"expiry\":\"" + expiry + "\",\"note\":\"the bill places you in 440106\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode operatorsView(HttpClient client, String http, String id) throws Exception {
        HttpResponse<String> r =
                client.send(get(operatorA, http + "/v1/corrections"), HttpResponse.BodyHandlers.ofString());
        for (JsonNode n : JSON.readTree(r.body()).path("requests")) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError(id + " not in the queue: " + r.body());
    }

    private static JsonNode own(HttpClient client, String http, String person, String id) throws Exception {
        HttpResponse<String> r =
                client.send(get(null, http + "/v1/corrections/me/" + person), HttpResponse.BodyHandlers.ofString());
        for (JsonNode n : JSON.readTree(r.body()).path("requests")) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError(person + " does not see " + id + ": " + r.body());
    }

    private static JsonNode awaitOwn(HttpClient client, String http, String person, String id, Predicate<JsonNode> done)
            throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = own(client, http, person, id);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("correction " + id + " after " + WAIT.toSeconds() + " s: " + last);
    }

    private void awaitAudit(HttpClient client, String http, String query, String expected) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r =
                    client.send(get(operatorA, http + "/v1/audit?" + query), HttpResponse.BodyHandlers.ofString());
            last = r.body();
            if (r.statusCode() == 200) {
                for (JsonNode n : JSON.readTree(r.body()).path("records")) {
                    String line = n.path("caller").asText() + " "
                            + n.path("action").asText() + " " + n.path("result").asText();
                    if (line.equals(expected)) {
                        return;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + expected + "' in /v1/audit?" + query + ": " + last);
    }

    private static JsonNode status(HttpClient client, String http, String person) throws Exception {
        HttpResponse<String> r =
                client.send(get(null, http + "/v1/status/" + person), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpRequest get(String key, String uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b.build();
    }

    private static HttpResponse<String> send(HttpClient client, String key, String uri, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** An operator's API key, appended to the key file in its format ({@code name role region sha256-hex}). */
    private static String apiKey(Path file, String name) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = "hck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String hash;
        try {
            hash = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.writeString(
                file,
                name + " operator 440000 " + hash + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        return key;
    }
}
