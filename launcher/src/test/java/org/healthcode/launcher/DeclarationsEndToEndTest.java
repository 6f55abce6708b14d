package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.RiskArea;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.proto.Vaccination;
import org.healthcode.ingest.pseudonym.IdNumbers;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person's own declarations through every real part: the serving process (own JVM, dev-open app role) takes a
 * health declaration of fever from the person's app, by the person's pseudonym, and writes it to the
 * {@code declarations} topic; the live risk job (own JVM, MiniCluster, RocksDB, exactly-once) turns the person yellow
 * for {@code declared_fever}, marked declared, and back to green when the lab's negative test (by raw ID number,
 * pseudonymised at ingest) arrives. The same declaration sent twice counts once. A second person's declared stop in
 * a high-risk area turns them red under the risk-area rule, marked declared; they dispute it, and two operators'
 * correction turns them green once the job accepts it ({@link CorrectionThroughTheJob}).
 */
class DeclarationsEndToEndTest {
    private static final Pattern JOB_READY = Pattern.compile("JOB RUNNING (\\S+)");
    private static final Pattern SERVING_READY = Pattern.compile("SERVING READY (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEVERISH_ID = IdNumbers.of("440106", java.time.LocalDate.of(1985, 6, 1), 321);

    /** Kept when the test fails: the processes' logs are under {@code logs/}. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(600)
    void aDeclaredFeverIsYellowWithItsReasonUntilANegativeTestAndADeclaredStayInAHighRiskAreaIsRed() throws Exception {
        byte[] secretBytes = new byte[32];
        Arrays.fill(secretBytes, (byte) 5);
        Path secret = work.resolve("secret");
        Files.writeString(secret, Base64.getEncoder().encodeToString(secretBytes));
        List<AutoCloseable> open = new ArrayList<>();
        AtomicBoolean ticking = new AtomicBoolean(true);
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            List<NewTopic> topics = new ArrayList<>();
            for (Feed f : Feed.values()) {
                topics.add(Topics.plain(f.wireName(), 1));
            }
            topics.add(Topics.compacted("status", 1));
            topics.add(Topics.plain("rejected", 1));
            Topics.ensure(bootstrap, topics);

            CorrectionThroughTheJob correction = CorrectionThroughTheJob.prepare(work, work.resolve("view"));
            Path root = DemoEndToEndTest.projectRoot();
            ModuleProcess serving = ModuleProcess.start(
                    root,
                    "interop",
                    "org.healthcode.interop.ServeMain",
                    List.of(
                            "--bootstrap-servers",
                            bootstrap,
                            "--data-dir",
                            work.resolve("view").toString(),
                            "--http-port",
                            "0",
                            "--venue-topic",
                            "none",
                            "--dev-open-lookups",
                            "--api-keys",
                            correction.apiKeysFile().toString()),
                    List.of("-Xmx512m"),
                    work.resolve("logs").resolve("serving.log"),
                    SERVING_READY);
            open.add(serving);
            ModuleProcess job = ModuleProcess.start(
                    root,
                    "risk-model",
                    "org.healthcode.risk.RiskJob",
                    List.of(
                            "--bootstrap-servers",
                            bootstrap,
                            "--checkpoint-dir",
                            work.resolve("checkpoints").toString(),
                            "--secret-file",
                            secret.toString(),
                            "--group-id",
                            "risk",
                            "--transactional-id-prefix",
                            "risk",
                            "--parallelism",
                            "1",
                            "--override-key",
                            correction.overrideKey().toString()),
                    List.of("-Xmx768m"),
                    work.resolve("logs").resolve("job.log"),
                    JOB_READY);
            open.add(job);
            String http = serving.awaitReady(Duration.ofMinutes(2));
            job.awaitReady(Duration.ofMinutes(4));

            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(
                        producer,
                        "reference",
                        Event.newBuilder()
                                .setFeed("reference")
                                .setType("risk_area")
                                .setEventId("ra-440111")
                                .setTime(now.minus(Duration.ofHours(40)).toString())
                                .setRiskArea(RiskArea.newBuilder()
                                        .setAreaCode("440111")
                                        .setLevel("high")
                                        .setFrom(now.minus(Duration.ofHours(40)).toString()))
                                .build());
            }
            Thread ticker = ticker(bootstrap, ticking);
            ticker.start();

            // the app knows the person only by their pseudonym
            String person = new Pseudonymiser(RegionSecret.fromFile(secret)).personId(FEVERISH_ID);
            HttpClient client = HttpClient.newHttpClient();
            String fever = "{\"declarationId\":\"fever-1\",\"declaredAt\":\"" + now + "\","
                    + "\"symptoms\":[\"fever\",\"cough\"],\"temperature\":38.6}";
            for (int i = 0; i < 2; i++) { // the app's retry: the same declaration again
                HttpResponse<String> r = post(client, http + "/v1/declarations/" + person + "/health", fever);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            JsonNode yellow =
                    awaitColour(client, URI.create(http + "/v1/status/" + person), "yellow", Duration.ofMinutes(4));
            assertThat(yellow.path("conditions")).hasSize(1);
            JsonNode c = yellow.path("conditions").get(0);
            assertThat(c.path("reason").asText()).isEqualTo("declared_fever");
            assertThat(c.path("declared").asBoolean()).isTrue();
            assertThat(c.path("cause")).hasSize(1);
            assertThat(c.path("cause").get(0).asText()).isEqualTo("decl/health/" + person + "/fever-1");
            assertThat(c.path("endsWith").asText()).contains("negative test");

            // the lab's negative test, by raw ID number, sampled after the declaration: green again
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(
                        producer,
                        "health",
                        Event.newBuilder()
                                .setFeed("health")
                                .setType("test_result")
                                .setEventId("lab-neg-1")
                                .setTime(now.plus(Duration.ofSeconds(1)).toString())
                                .setIdNumber(FEVERISH_ID)
                                .setTestResult(
                                        TestResult.newBuilder().setMethod("pcr").setResult("negative"))
                                .build());
            }
            JsonNode green =
                    awaitColour(client, URI.create(http + "/v1/status/" + person), "green", Duration.ofMinutes(3));
            assertThat(green.path("conditions")).isEmpty();

            // another person declares they passed through the high-risk district yesterday: red, marked declared
            String traveller = "traveller-pseudonym";
            String itinerary = "{\"declarationId\":\"trip-1\",\"declaredAt\":\"" + Instant.now() + "\",\"stops\":["
                    + "{\"areaCode\":\"440111\",\"from\":\"" + now.minus(Duration.ofHours(30)) + "\",\"to\":\""
                    + now.minus(Duration.ofHours(22)) + "\"}]}";
            HttpResponse<String> declared =
                    post(client, http + "/v1/declarations/" + traveller + "/itinerary", itinerary);
            assertThat(declared.statusCode()).as(declared.body()).isEqualTo(202);
            JsonNode red =
                    awaitColour(client, URI.create(http + "/v1/status/" + traveller), "red", Duration.ofMinutes(3));
            JsonNode area = red.path("conditions").get(0);
            assertThat(area.path("reason").asText()).isEqualTo("high_risk_area");
            assertThat(area.path("declared").asBoolean()).isTrue();
            assertThat(area.path("cause").get(0).asText())
                    .isEqualTo("area-decl/itinerary/" + traveller + "/trip-1/0/ra-440111");
            // the person's stays in risk areas name the declared stop once: behind the condition, so counted
            HttpResponse<String> stays = client.send(
                    HttpRequest.newBuilder(URI.create(http + "/v1/risk-areas/me/" + traveller))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(stays.body()).path("yourStays"))
                    .extracting(n ->
                            n.path("stay").asText() + " " + n.path("declared").asBoolean() + " "
                                    + n.path("counted").asBoolean())
                    .containsExactly("decl/itinerary/" + traveller + "/trip-1/0 true true");

            // the traveller disputes the colour: corrected only once the job accepted the operators' override
            correction.disputeAndCorrect(http, bootstrap, traveller);
            ticking.set(false);
            ticker.join(10_000);
        } finally {
            ticking.set(false);
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, String uri, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Keeps event time moving: a harmless vaccination of a bystander, stamped now, every second. */
    private static Thread ticker(String bootstrap, AtomicBoolean ticking) {
        AtomicLong n = new AtomicLong();
        Thread t = new Thread(
                () -> {
                    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                        while (ticking.get()) {
                            send(
                                    producer,
                                    "health",
                                    Event.newBuilder()
                                            .setFeed("health")
                                            .setType("vaccination")
                                            .setEventId("tick-" + n.incrementAndGet())
                                            .setTime(Instant.now().toString())
                                            .setPersonId("bystander")
                                            .setVaccination(
                                                    Vaccination.newBuilder().setDose(1))
                                            .build());
                            Thread.sleep(1000);
                        }
                    } catch (Exception e) {
                        // the test is over
                    }
                },
                "ticker");
        t.setDaemon(true);
        return t;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Event e) throws Exception {
        producer.send(new ProducerRecord<>(topic, e.getEventId().getBytes(StandardCharsets.UTF_8), e.toByteArray()))
                .get();
    }

    private static JsonNode awaitColour(HttpClient http, URI uri, String colour, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode n = JSON.readTree(r.body());
                if (n.path("colour").asText().equals(colour)) {
                    return n;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(uri + " not " + colour + " after " + timeout.toSeconds() + " s; last answer: " + last);
    }
}
