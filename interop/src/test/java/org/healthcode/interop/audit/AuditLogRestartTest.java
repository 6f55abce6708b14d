package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Who looked me up" survives a restart of the serving process: the audit index is in RocksDB with its positions.
 * And what waits for an audit record's acknowledgement runs off the producer's single network thread.
 */
class AuditLogRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant MONDAY_9AM = Instant.parse("2022-04-04T01:00:00Z");

    @TempDir
    static Path dir;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(
                broker.bootstrapServers(), List.of(new org.apache.kafka.clients.admin.NewTopic("audit", 2, (short) 1)));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static AuditRecord lookup(String caller, String region, String subject, Instant at) {
        return new AuditRecord(at, caller, "region", region, AuditRecord.LOOKUP, subject, "found", null);
    }

    private static void publish(AuditRecord... records) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (AuditRecord r : records) {
                producer.send(new ProducerRecord<>(
                                "audit", r.subject(), r.toJson().toString()))
                        .get();
            }
        }
    }

    @Test
    void aPersonStillSeesWhoLookedThemUpAfterARestartAndOnlyNewRecordsAreReadAgain() throws Exception {
        Path index = dir.resolve("view").resolve("audit-index");
        publish(
                lookup("region-310000", "310000", "pa-alice", MONDAY_9AM),
                lookup("gate-7", "440000", "pa-alice", MONDAY_9AM.plusSeconds(60)),
                lookup("gate-7", "440000", "pa-bob", MONDAY_9AM.plusSeconds(120)));
        try (AuditLog log = new AuditLog(broker.bootstrapServers(), "audit", index)) {
            log.start();
            await().atMost(WAIT).until(() -> log.recordsRead() == 3);
            assertThat(log.aboutSubject("pa-alice"))
                    .extracting(AuditRecord::caller)
                    .containsExactly("region-310000", "gate-7");
        }

        publish(lookup("app-backend", "440000", "pa-alice", MONDAY_9AM.plusSeconds(180)));
        try (AuditLog restarted = new AuditLog(broker.bootstrapServers(), "audit", index)) {
            // before it reads anything, the index already answers from disk
            assertThat(restarted.aboutSubject("pa-alice")).hasSize(2);
            restarted.start();
            await().atMost(WAIT).until(() -> restarted.aboutSubject("pa-alice").size() == 3);
            assertThat(restarted.aboutSubject("pa-alice"))
                    .extracting(AuditRecord::caller)
                    .containsExactly("region-310000", "gate-7", "app-backend");
            assertThat(restarted.byCaller("gate-7"))
                    .extracting(AuditRecord::subject)
                    .containsExactly("pa-alice", "pa-bob");
            assertThat(restarted.aboutSubject("pa-alice").get(0).callerRegion()).isEqualTo("310000");
            // it resumed from its stored positions: the three old records were not read again
            assertThat(restarted.recordsRead()).isEqualTo(1);
        }
    }

    /** Whether the record was acknowledged, and the thread that learnt it. */
    private record Outcome(boolean durable, String thread) {}

    /**
     * The producer's network thread only hands the acknowledged records over: rendering and writing the answers that
     * waited for them neither holds back the next produce request nor is confined to one core.
     */
    @Test
    void answersWaitingForTheAcknowledgementRunOnTheSinksOwnThreadsAfterTheRecordIsDurable() throws Exception {
        String bootstrap = broker.bootstrapServers();
        Topics.ensure(bootstrap, List.of(Topics.plain("audit-acks", 1)));
        try (KafkaAuditSink sink = new KafkaAuditSink(bootstrap, "audit-acks", AuditSink.DISCARD)) {
            // a fresh broker may refuse the first records within the sink's bound: those answers (503) take the same
            // way, so every outcome is checked, until enough records were acknowledged
            int acknowledged = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (int i = 0; acknowledged < 20 && System.nanoTime() < deadline; i++) {
                AuditRecord r =
                        new AuditRecord(Instant.now(), "app", "app", "r1", AuditRecord.LOOKUP, "p-" + i, "found", null);
                CompletableFuture<Outcome> answered = sink.recordAsync(r)
                        .handle((ok, failure) -> new Outcome(
                                failure == null, Thread.currentThread().getName()));
                Outcome o = answered.get(30, TimeUnit.SECONDS);
                assertThat(o.thread())
                        .startsWith(KafkaAuditSink.ACK_THREADS_NAME)
                        .doesNotContain("kafka-producer-network-thread");
                acknowledged += o.durable() ? 1 : 0;
            }
            assertThat(acknowledged).isEqualTo(20);
        }
    }
}
