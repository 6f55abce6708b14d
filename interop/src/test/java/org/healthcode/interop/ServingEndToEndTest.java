package org.healthcode.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.healthcode.interop.StatusFixtures.MONDAY_9AM;
import static org.healthcode.interop.StatusFixtures.TUESDAY_9AM;
import static org.healthcode.interop.StatusFixtures.green;
import static org.healthcode.interop.StatusFixtures.redAfterPositiveTest;
import static org.healthcode.interop.StatusFixtures.yellowCloseContact;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.status.StatusJson;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.LookupAudit;
import org.healthcode.interop.config.ServeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving process's parts against a real broker and over real HTTP: only committed statuses become visible,
 * the HTTP contract holds, a restart resumes from the stored position, and overload is shed.
 */
class ServingEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path brokerDir;

    private static KafkaBroker broker;

    @TempDir
    Path viewDir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = KafkaBroker.start(brokerDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void servesOnlyCommittedStatusesAndResumesFromItsStoredPositionAfterARestart() throws Exception {
        String topic = "status-e2e";
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted(topic, 2)));
        StatusRecord aliceRed = redAfterPositiveTest("alice", 2, TUESDAY_9AM);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("e2e")) {
            commit(producer, topic, green("alice", 1, MONDAY_9AM), yellowCloseContact("bob", 1, MONDAY_9AM), aliceRed);
            producer.beginTransaction();
            send(
                    producer,
                    topic,
                    "carol",
                    redAfterPositiveTest("carol", 1, MONDAY_9AM).toByteArray());
            send(producer, topic, "alice", green("alice", 3, TUESDAY_9AM).toByteArray());
            producer.flush();
            producer.abortTransaction();
            commit(producer, topic, yellowCloseContact("dave", 1, MONDAY_9AM));
        }
        List<LookupAudit> audits = new CopyOnWriteArrayList<>();
        ServeConfig config = new ServeConfig(broker.bootstrapServers(), topic, viewDir, "127.0.0.1", 0, 64);

        try (ServingNode node = ServingNode.start(config, audits::add)) {
            await().atMost(WAIT)
                    .until(() -> node.metrics().recordsApplied() == 4
                            && node.metrics().consumerLag() == 0);
            URI base = node.baseUri();

            HttpResponse<String> alice = get(base, "/v1/status/alice");
            assertThat(alice.statusCode()).isEqualTo(200);
            assertThat(alice.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(alice.body()).isEqualTo(StatusJson.toLine(StatusJson.full(aliceRed)));

            HttpResponse<String> carol = get(base, "/v1/status/carol");
            assertThat(carol.statusCode()).isEqualTo(404);
            assertThat(carol.body()).startsWith("{\"error\":\"unknown_person\"");

            assertThat(get(base, "/v1/status/not%20an%20id").statusCode()).isEqualTo(400);
            HttpResponse<String> tooLong = get(base, "/v1/status/" + "a".repeat(65));
            assertThat(tooLong.statusCode()).isEqualTo(400);
            assertThat(tooLong.body()).startsWith("{\"error\":\"malformed_person_id\"");
            assertThat(get(base, "/v1/status/" + "a".repeat(64)).statusCode()).isEqualTo(404);

            HttpResponse<String> post = http.send(
                    HttpRequest.newBuilder(base.resolve("/v1/status/alice"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.body()).contains("\"method_not_allowed\"");
            assertThat(get(base, "/v2/anything").body()).contains("\"not_found\"");

            HttpResponse<String> health = get(base, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"partitions\":2", "\"consumerLag\":0");

            String metrics = get(base, "/metrics").body();
            assertThat(metrics)
                    .contains(
                            "healthcode_lookups_total{result=\"found\"} 1\n",
                            "healthcode_lookups_total{result=\"unknown_person\"} 2\n",
                            "healthcode_lookups_total{result=\"malformed_person_id\"} 2\n",
                            "healthcode_status_records_applied_total 4\n",
                            "healthcode_status_records_stale_total 0\n",
                            "healthcode_status_consumer_lag_records 0\n",
                            "healthcode_status_consumer_up 1\n",
                            "healthcode_http_in_flight_requests 0\n",
                            "# TYPE healthcode_status_view_persons gauge\n");

            // every lookup was audited; malformed input is not recorded as a person id
            assertThat(audits)
                    .extracting(LookupAudit::result)
                    .containsExactly(
                            "found", "unknown_person", "malformed_person_id", "malformed_person_id", "unknown_person");
            assertThat(audits.get(2).personId()).isNull();
        }

        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("e2e")) {
            producer.beginTransaction();
            send(
                    producer,
                    topic,
                    "bob",
                    redAfterPositiveTest("bob", 2, TUESDAY_9AM).toByteArray());
            send(producer, topic, "dave", null); // tombstone
            producer.commitTransaction();
        }

        try (ServingNode node = ServingNode.start(config, AuditSink.DISCARD)) {
            await().atMost(WAIT)
                    .until(() ->
                            node.metrics().recordsRead() >= 2 && node.metrics().consumerLag() == 0);
            // only the two new records were read: the earlier ones were not fetched again
            assertThat(node.metrics().recordsRead()).isEqualTo(2);
            assertThat(node.metrics().recordsApplied()).isEqualTo(1);
            assertThat(node.metrics().recordsStale()).isZero();
            URI base = node.baseUri();
            assertThat(get(base, "/v1/status/alice").body()).isEqualTo(StatusJson.toLine(StatusJson.full(aliceRed)));
            assertThat(get(base, "/v1/status/bob").body()).contains("\"colour\":\"red\"", "\"seq\":2");
            assertThat(get(base, "/v1/status/dave").statusCode()).isEqualTo(404);
            assertThat(get(base, "/v1/status/carol").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void lookupsBeyondTheInFlightLimitAreShedAtOnceWith503AndRetryAfter() throws Exception {
        String topic = "status-shed";
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted(topic, 1)));
        CountDownLatch slowEntered = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        List<LookupAudit> audits = new CopyOnWriteArrayList<>();
        AuditSink holdsTheSlowLookup = audit -> {
            if ("slow".equals(audit.personId())) {
                slowEntered.countDown();
                try {
                    releaseSlow.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            audits.add(audit);
        };
        ServeConfig config = new ServeConfig(broker.bootstrapServers(), topic, viewDir, "127.0.0.1", 0, 1)
                .withAdmission(ServeConfig.Admission.DEFAULTS.withMaxLookupsInFlight(1));

        try (ServingNode node = ServingNode.start(config, holdsTheSlowLookup)) {
            URI base = node.baseUri();
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("/v1/status/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(slowEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> shed = get(base, "/v1/status/alice");
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
            assertThat(shed.body()).startsWith("{\"error\":\"overloaded\"");
            assertThat(get(base, "/health").statusCode()).isEqualTo(200);
            assertThat(get(base, "/metrics").body()).contains("healthcode_http_in_flight_requests 1\n");

            releaseSlow.countDown();
            assertThat(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(404);
            // the response can reach the client a moment before the handler returns its permit: wait for it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!get(base, "/metrics").body().contains("healthcode_http_in_flight_requests 0\n")
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // the permit came back: the next lookup is admitted
            assertThat(get(base, "/v1/status/alice").statusCode()).isEqualTo(404);
            assertThat(get(base, "/metrics").body()).contains("healthcode_lookups_total{result=\"overloaded\"} 1\n");
            // a refusal under load is counted, not audited: it decides nothing about anyone and must stay cheap
            assertThat(audits).extracting(LookupAudit::result).doesNotContain("overloaded");

            // a view that no longer follows the topic is reported unhealthy, and lookups are still answered
            node.consumer().close();
            HttpResponse<String> health = get(base, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"consumerRunning\":false");
            assertThat(get(base, "/metrics").body()).contains("healthcode_status_consumer_up 0\n");
            assertThat(get(base, "/v1/status/alice").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aFloodBeyondTheAdmissionLimitIsShedWith503WhileAdmittedLookupsAnswerCorrectly() throws Exception {
        String topic = "status-flood";
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted(topic, 1)));
        StatusRecord alice = redAfterPositiveTest("alice", 1, MONDAY_9AM);
        StatusRecord bob = green("bob", 1, MONDAY_9AM);
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("flood")) {
            commit(producer, topic, alice, bob);
        }
        // every found lookup waits at this gate: the two admitted ones hold their places until the test opens it
        CountDownLatch gate = new CountDownLatch(1);
        AuditSink heldAtTheGate = audit -> {
            if ("found".equals(audit.result())) {
                try {
                    gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        int inFlight = 2;
        int queued = 4;
        int flood = 40;
        // a queue wait far longer than the test: here only a full queue refuses
        ServeConfig config = new ServeConfig(broker.bootstrapServers(), topic, viewDir, "127.0.0.1", 0, inFlight)
                .withAdmission(new ServeConfig.Admission(queued, 600_000, 16).withMaxLookupsInFlight(inFlight));

        try (ServingNode node = ServingNode.start(config, heldAtTheGate)) {
            await().atMost(WAIT)
                    .until(() -> node.metrics().recordsApplied() == 2
                            && node.metrics().consumerLag() == 0);
            URI base = node.baseUri();
            List<CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < flood; i++) {
                String person = i % 2 == 0 ? "alice" : "bob";
                answers.add(http.sendAsync(
                        HttpRequest.newBuilder(base.resolve("/v1/status/" + person))
                                .timeout(WAIT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // everything beyond 2 in flight and 4 waiting is refused while the gate is shut
            await().atMost(WAIT).until(() -> node.metrics().lookups("overloaded") == flood - inFlight - queued);
            assertThat(get(base, "/metrics").body())
                    .contains("healthcode_http_in_flight_requests 2\n", "healthcode_http_queued_requests 4\n");
            assertThat(get(base, "/health").statusCode()).isEqualTo(200);
            gate.countDown();

            int served = 0;
            int shed = 0;
            for (CompletableFuture<HttpResponse<String>> f : answers) {
                HttpResponse<String> r = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                String person = r.uri().getPath().substring("/v1/status/".length());
                if (r.statusCode() == 200) {
                    served++;
                    assertThat(r.body())
                            .isEqualTo(StatusJson.toLine(StatusJson.full(person.equals("alice") ? alice : bob)));
                } else {
                    shed++;
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(r.headers().firstValue("retry-after")).hasValue("1");
                    assertThat(r.body()).startsWith("{\"error\":\"overloaded\"");
                }
            }
            assertThat(served).isEqualTo(inFlight + queued);
            assertThat(shed).isEqualTo(flood - inFlight - queued);
            assertThat(node.metrics().lookups("found")).isEqualTo(inFlight + queued);
            // after the flood: admitted again
            assertThat(get(base, "/v1/status/bob").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aLookupThatWaitsLongerThanTheQueueDeadlineIsShedWith503() throws Exception {
        String topic = "status-deadline";
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted(topic, 1)));
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("deadline")) {
            commit(producer, topic, green("carol", 1, MONDAY_9AM));
        }
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        AuditSink heldAtTheGate = audit -> {
            if ("found".equals(audit.result())) {
                holding.countDown();
                try {
                    gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ServeConfig config = new ServeConfig(broker.bootstrapServers(), topic, viewDir, "127.0.0.1", 0, 1)
                .withAdmission(new ServeConfig.Admission(100, 50, 16).withMaxLookupsInFlight(1));

        try (ServingNode node = ServingNode.start(config, heldAtTheGate)) {
            await().atMost(WAIT)
                    .until(() -> node.metrics().recordsApplied() == 1
                            && node.metrics().consumerLag() == 0);
            URI base = node.baseUri();
            CompletableFuture<HttpResponse<String>> held = http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("/v1/status/carol")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            // the queue has room, but the one place is held longer than a waiting lookup may wait
            HttpResponse<String> waited = get(base, "/v1/status/carol");
            assertThat(waited.statusCode()).isEqualTo(503);
            assertThat(waited.headers().firstValue("retry-after")).hasValue("1");
            assertThat(waited.body()).startsWith("{\"error\":\"overloaded\"").contains("waited too long");

            gate.countDown();
            assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode())
                    .isEqualTo(200);
            assertThat(get(base, "/v1/status/carol").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String id) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "serving-test-" + id);
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        return producer;
    }

    private static void commit(KafkaProducer<byte[], byte[]> producer, String topic, StatusRecord... statuses) {
        producer.beginTransaction();
        for (StatusRecord s : statuses) {
            send(producer, topic, s.getPersonId(), s.toByteArray());
        }
        producer.commitTransaction();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String person, byte[] value) {
        producer.send(new ProducerRecord<>(topic, person.getBytes(StandardCharsets.UTF_8), value));
    }
}
