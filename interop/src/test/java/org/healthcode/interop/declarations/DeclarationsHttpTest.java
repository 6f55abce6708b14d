package org.healthcode.interop.declarations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.LookupAudit;
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
 * A person's app declares health and itinerary through the serving process on a real broker: what reaches the
 * {@code declarations} topic is what the job's decoder accepts, keyed by the person's pseudonym; the same declaration
 * twice is the same record; a bad field is a 400 naming it; only role app may declare; every declaration is audited.
 */
class DeclarationsHttpTest {
    private static final String REGION = "440000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<AuditRecord> AUDITS = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static ServingNode node;
    private static String app;
    private static String checkpoint;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(
                broker.bootstrapServers(),
                List.of(Topics.compacted("status", 1), Topics.plain(DeclarationsHandler.TOPIC, 1)));
        Path keys = dir.resolve("api-keys.txt");
        app = ApiKeys.add(keys, "app-backend", Role.APP, REGION);
        checkpoint = ApiKeys.add(keys, "gate-7", Role.CHECKPOINT, REGION);
        ServeConfig serve = new ServeConfig(
                        broker.bootstrapServers(), "status", dir.resolve("view"), "127.0.0.1", 0, 16)
                .withInterop(InteropConfig.defaults()
                        .withAccess(keys, false, -1, null, InteropConfig.DEFAULT_RATES)
                        .withRegion(REGION, ""));
        AuditSink audits = new AuditSink() {
            @Override
            public void lookup(LookupAudit audit) {}

            @Override
            public void record(AuditRecord audit) {
                AUDITS.add(audit);
            }
        };
        node = ServingNode.start(serve, CodesServeConfig.defaults().withRegion(REGION), audits);
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

    private static String now() {
        return Instant.now()
                .truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(8))
                .toString();
    }

    @Test
    void aHealthDeclarationBecomesOneEventTheJobAcceptsHoweverOftenItIsSent() throws Exception {
        String body = "{\"declarationId\":\"h-1\",\"declaredAt\":\"" + now()
                + "\",\"symptoms\":[\"cough\",\"fever\"],\"temperature\":38.2}";
        HttpResponse<String> first = post(app, "/v1/declarations/Qm9iX3BzZXVkb255bTAx/health", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(JSON.readTree(first.body()).get("eventIds").get(0).asText())
                .isEqualTo("decl/health/Qm9iX3BzZXVkb255bTAx/h-1");
        HttpResponse<String> retry = post(app, "/v1/declarations/Qm9iX3BzZXVkb255bTAx/health", body);
        assertThat(retry.statusCode()).isEqualTo(202);

        List<ConsumerRecord<byte[], byte[]>> written = records("decl/health/Qm9iX3BzZXVkb255bTAx/h-1", 2);
        assertThat(written).hasSize(2);
        assertThat(new String(written.get(0).key())).isEqualTo("Qm9iX3BzZXVkb255bTAx");
        // a retry writes the same bytes: the job's event-id de-duplication keeps one, live and in replay
        assertThat(written.get(1).value()).isEqualTo(written.get(0).value());
        Event e = decode(written.get(0));
        assertThat(e.type()).isEqualTo(EventType.HEALTH_DECLARATION);
        assertThat(e.personId()).isEqualTo("Qm9iX3BzZXVkb255bTAx");
        assertThat(e.symptoms()).isEqualTo("fever,cough");
        assertThat(e.temperature()).isEqualTo(38.2);
        assertThat(AUDITS)
                .filteredOn(a -> AuditRecord.DECLARATION.equals(a.action())
                        && "Qm9iX3BzZXVkb255bTAx".equals(a.subject())
                        && "accepted".equals(a.result()))
                .hasSize(2)
                .allSatisfy(a -> assertThat(a.caller()).isEqualTo("app-backend"));
    }

    @Test
    void anItineraryIsOneEventPerAreaEachAStayTheJobAccepts() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String body = "{\"declarationId\":\"i-1\",\"declaredAt\":\"" + now() + "\",\"stops\":["
                + "{\"areaCode\":\"440111\",\"from\":\"" + t.minus(Duration.ofHours(30)) + "\",\"to\":\""
                + t.minus(Duration.ofHours(20)) + "\"},"
                + "{\"areaCode\":\"440106\",\"from\":\"" + t.minus(Duration.ofHours(19)) + "\",\"to\":\""
                + t.minus(Duration.ofHours(2)) + "\"}]}";
        HttpResponse<String> r = post(app, "/v1/declarations/erin-pseudonym/itinerary", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Event second = decode(records("decl/itinerary/erin-pseudonym/i-1/1", 1).get(0));
        assertThat(second.type()).isEqualTo(EventType.ITINERARY_DECLARATION);
        assertThat(second.areaCode()).isEqualTo("440106");
        assertThat(second.to()).isEqualTo(t.minus(Duration.ofHours(2)).toEpochMilli());
    }

    @Test
    void aBadFieldIsA400NamingItAndIsAudited() throws Exception {
        String at = now();
        assertRefused(
                "/health",
                "{\"declarationId\":\"b-1\",\"declaredAt\":\"" + at + "\",\"temperature\":45}",
                "temperature");
        assertRefused(
                "/health",
                "{\"declarationId\":\"b-2\",\"declaredAt\":\"" + at + "\",\"symptoms\":[\"sneezing\"]}",
                "symptoms");
        assertRefused("/health", "{\"declarationId\":\"b-3\",\"symptoms\":[\"fever\"]}", "declaredAt");
        assertRefused(
                "/health", "{\"declarationId\":\"b-4\",\"declaredAt\":\"2022-04-01T09:00:00+08:00\"}", "declaredAt");
        assertRefused("/health", "{\"declarationId\":\"not an id!\",\"declaredAt\":\"" + at + "\"}", "declarationId");
        assertRefused("/health", "[1,2]", "body");
        String later = Instant.now().plus(Duration.ofHours(3)).toString();
        String earlier = Instant.now().minus(Duration.ofHours(3)).toString();
        assertRefused(
                "/itinerary",
                "{\"declarationId\":\"b-5\",\"declaredAt\":\"" + at
                        + "\",\"stops\":[{\"areaCode\":\"440111\",\"from\":\""
                        + earlier + "\",\"to\":\"" + earlier + "\"},{\"areaCode\":\"440106\",\"from\":\"" + earlier
                        + "\",\"to\":\"" + later + "\"}]}",
                "stops[1].to");
        assertRefused(
                "/itinerary",
                "{\"declarationId\":\"b-6\",\"declaredAt\":\"" + at + "\",\"stops\":[{\"areaCode\":\"4401\",\"from\":\""
                        + earlier + "\",\"to\":\"" + earlier + "\"}]}",
                "stops[0].areaCode");
        assertRefused("/itinerary", "{\"declarationId\":\"b-7\",\"declaredAt\":\"" + at + "\",\"stops\":[]}", "stops");
        assertThat(AUDITS)
                .filteredOn(a -> AuditRecord.DECLARATION.equals(a.action()) && "malformed_request".equals(a.result()))
                .hasSizeGreaterThanOrEqualTo(9);
    }

    @Test
    void aRawIdentityATooLargeBodyAndAnotherRoleAreRefused() throws Exception {
        HttpResponse<String> raw = post(
                app,
                "/v1/declarations/11010519491231002X/health",
                "{\"declarationId\":\"r-1\",\"declaredAt\":\"" + now() + "\"}");
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.body()).contains("malformed_person_id").doesNotContain("11010519491231002X");
        assertThat(AUDITS).noneMatch(a -> String.valueOf(a.subject()).contains("11010519491231002X"));

        String big = "{\"declarationId\":\"r-2\",\"declaredAt\":\"" + now() + "\",\"symptoms\":[\""
                + "x".repeat(9 * 1024) + "\"]}";
        assertThat(post(app, "/v1/declarations/dave/health", big).statusCode()).isEqualTo(413);

        HttpResponse<String> asCheckpoint = post(
                checkpoint,
                "/v1/declarations/dave/health",
                "{\"declarationId\":\"r-3\",\"declaredAt\":\"" + now() + "\"}");
        assertThat(asCheckpoint.statusCode()).isEqualTo(403);
    }

    private static void assertRefused(String kind, String body, String field) throws Exception {
        HttpResponse<String> r = post(app, "/v1/declarations/dave" + kind, body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("error").asText()).isEqualTo("malformed_request");
        assertThat(answer.get("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(answer.get("message").asText()).as(r.body()).contains(field.replaceAll("\\[.*", ""));
    }

    private static HttpResponse<String> post(String key, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(node.baseUri().resolve(path))
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The topic's records of event {@code eventId}, waiting until {@code expected} of them are there. */
    private static List<ConsumerRecord<byte[], byte[]>> records(String eventId, int expected) throws Exception {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(DeclarationsHandler.TOPIC, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (org.healthcode.ingest.proto.Event.parseFrom(r.value())
                            .getEventId()
                            .equals(eventId)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /** A record decoded as the job decodes it. */
    private static Event decode(ConsumerRecord<byte[], byte[]> r) {
        Decoded d = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32])))
                .decodeProto(r.value(), r.topic(), r.partition(), r.offset());
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        return d.event();
    }
}
