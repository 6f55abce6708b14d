package org.healthcode.interop.codes;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.codes.format.Base45;
import org.healthcode.codes.format.CodeFormatException;
import org.healthcode.codes.format.Zlib;
import org.healthcode.codes.issue.CodePrefix;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.LookupAudit;
import org.healthcode.interop.config.CodesServeConfig;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;

/**
 * A serving node on an in-process broker for the codes tests: statuses produced to its status topic, an audit
 * trail collected in memory, HTTP helpers, and a code with a broken signature.
 */
final class CodeServingFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String STATUS_TOPIC = "status";
    static final String VENUE_TOPIC = "venue-scans";

    final KafkaBroker broker;
    final ServingNode node;
    final List<AuditRecord> audits = new CopyOnWriteArrayList<>();
    /** While set, every verification's audit record waits for it to open (a verification that takes long). */
    volatile CountDownLatch holdVerifications;
    /** Verifications that waited at {@link #holdVerifications}. */
    final AtomicInteger verificationsHeld = new AtomicInteger();
    /** While set, every code issue's audit record waits for it to open (an issue that takes long). */
    volatile CountDownLatch holdCodes;
    /** Code issues that waited at {@link #holdCodes}. */
    final AtomicInteger codesHeld = new AtomicInteger();
    /** An API key of role checkpoint (gate-7): verification is for checkpoints. */
    final String checkpointKey;
    /** An API key of role operator (ops-1): may verify, may not record scans. */
    final String operatorKey;

    private final KafkaProducer<byte[], byte[]> producer;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private CodeServingFixture(
            KafkaBroker broker,
            ServingNode node,
            KafkaProducer<byte[], byte[]> producer,
            String checkpointKey,
            String operatorKey) {
        this.checkpointKey = checkpointKey;
        this.operatorKey = operatorKey;
        this.broker = broker;
        this.node = node;
        this.producer = producer;
    }

    /** Broker under {@code dir}/broker, view and keys under {@code dir}/view. */
    static CodeServingFixture start(Path dir) throws Exception {
        return start(dir, Duration.ofMinutes(5));
    }

    /** As {@link #start(Path)}, issuing codes that live {@code codeLifetime}. */
    static CodeServingFixture start(Path dir, Duration codeLifetime) throws Exception {
        return start(dir, codeLifetime, ServeConfig.Admission.DEFAULTS);
    }

    private static CodeServingFixture start(Path dir, Duration codeLifetime, ServeConfig.Admission admission)
            throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0);
        try {
            Topics.ensure(
                    broker.bootstrapServers(),
                    List.of(Topics.compacted(STATUS_TOPIC, 1), Topics.plain(VENUE_TOPIC, 1)));
            Properties p = new Properties();
            p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
            List<AuditRecord> audits = new CopyOnWriteArrayList<>();
            CodesServeConfig codes = new CodesServeConfig("440000", null, codeLifetime, null, VENUE_TOPIC, 1000);
            Path keys = dir.resolve("api-keys.txt");
            String checkpointKey = ApiKeys.add(keys, "gate-7", Role.CHECKPOINT, "440000");
            String operatorKey = ApiKeys.add(keys, "ops-1", Role.OPERATOR, "440000");
            // development mode: persons' pages without credentials act as role app, and a verification without
            // credentials as a checkpoint named by its parameter; the checkpoint gate-7 presents its key
            ServeConfig serve = new ServeConfig(
                            broker.bootstrapServers(), STATUS_TOPIC, dir.resolve("view"), "127.0.0.1", 0, 64)
                    .withInterop(InteropConfig.defaults().withAccess(keys, true, -1, null, InteropConfig.DEFAULT_RATES))
                    .withAdmission(admission);
            CodeServingFixture[] self = new CodeServingFixture[1];
            AuditSink sink = new AuditSink() {
                @Override
                public void lookup(LookupAudit audit) {}

                @Override
                public void record(AuditRecord audit) {
                    if (AuditRecord.VERIFY.equals(audit.action())) {
                        hold(self[0].holdVerifications, self[0].verificationsHeld);
                    } else if (CodeIssueService.AUDIT_ACTION.equals(audit.action())) {
                        hold(self[0].holdCodes, self[0].codesHeld);
                    }
                    self[0].audits.add(audit);
                }
            };
            ServingNode node = ServingNode.start(serve, codes, sink);
            self[0] = new CodeServingFixture(broker, node, producer, checkpointKey, operatorKey);
            return self[0];
        } catch (Exception e) {
            broker.close();
            throw e;
        }
    }

    private static void hold(CountDownLatch hold, AtomicInteger held) {
        if (hold == null) {
            return;
        }
        held.incrementAndGet();
        try {
            hold.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    URI base() {
        return node.baseUri();
    }

    /** Produces the statuses and waits until the view serves each of them at its seq. */
    void publish(StatusRecord... statuses) throws Exception {
        for (StatusRecord s : statuses) {
            producer.send(new ProducerRecord<>(
                    STATUS_TOPIC, s.getPersonId().getBytes(StandardCharsets.UTF_8), s.toByteArray()));
        }
        producer.flush();
        for (StatusRecord s : statuses) {
            await().atMost(WAIT).until(() -> {
                HttpResponse<String> r = get("/v1/status/" + s.getPersonId());
                return r.statusCode() == 200 && r.body().contains("\"seq\":" + s.getSeq());
            });
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base().resolve(path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base().resolve(path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base().resolve(path))
                        .timeout(WAIT)
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A POST by the checkpoint gate-7 (its API key as bearer token). */
    HttpResponse<String> postAsCheckpoint(String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base().resolve(path))
                        .timeout(WAIT)
                        .header("Content-Type", contentType)
                        .header("Authorization", "Bearer " + checkpointKey)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> postAsCheckpoint(String path, String contentType, String body)
            throws IOException, InterruptedException {
        return postAsCheckpoint(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A POST with {@code apiKey} as bearer token. */
    HttpResponse<String> postWithKey(String apiKey, String path, String contentType, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base().resolve(path))
                        .timeout(WAIT)
                        .header("Content-Type", contentType)
                        .header("Authorization", "Bearer " + apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * The same code with the last byte of its signature flipped and everything re-encoded properly, so decoding
     * succeeds and only the signature check can catch it. (COSE_Sign1 ends with the signature byte string.)
     */
    static String withBrokenSignature(String code) throws CodeFormatException {
        byte[] cose = Zlib.inflate(Base45.decode(CodePrefix.body(code)));
        cose[cose.length - 1] ^= 0x01;
        return CodePrefix.CURRENT + Base45.encode(Zlib.deflate(cose));
    }

    @Override
    public void close() {
        node.close();
        producer.close();
        broker.close();
    }
}
