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
 * "Who looked me up" survives a restart of the serving process: the audit index is in RocksDB with its positions;
 * what the risk job wrote in a transaction it aborted is not in it. And what waits for an audit record's
 * acknowledgement runs off the producer's single network thread.
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
        publishTo("audit", records);
    }

    private static void publishTo(String topic, AuditRecord... records) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (AuditRecord r : records) {
                producer.send(new ProducerRecord<>(
                                topic, r.subject(), r.toJson().toString()))
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

    @Test
    void aRecordOfAnAbortedTransactionIsNeverIndexed() throws Exception {
        String topic = "audit-with-transactions";
        Topics.ensure(
                broker.bootstrapServers(), List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)));
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "risk-job-audit-sink-0");
        try (KafkaProducer<String, String> job = new KafkaProducer<>(p)) {
            job.initTransactions();
            inTransaction(job, topic, "attempt that failed", false);
            inTransaction(job, topic, "attempt after recovery", true);
        }
        publishTo(topic, lookup("gate-9", "440000", "pa-carol", MONDAY_9AM.plusSeconds(60)));
        try (AuditLog log = new AuditLog(broker.bootstrapServers(), topic, dir.resolve("aborted-index"))) {
            log.start();
            // one partition: once the lookup written last is indexed, everything before it was read
            await().atMost(WAIT)
                    .until(() -> log.aboutSubject("pa-carol").stream()
                            .anyMatch(r -> r.caller().equals("gate-9")));
            assertThat(log.aboutSubject("pa-carol"))
                    .extracting(AuditRecord::detail)
                    .containsExactly("attempt after recovery", null);
        }
    }

    private static void inTransaction(KafkaProducer<String, String> job, String topic, String detail, boolean commit) {
        job.beginTransaction();
        job.send(new ProducerRecord<>(
                topic, "pa-carol", decision(detail, MONDAY_9AM).toJson().toString()));
        job.flush();
        if (commit) {
            job.commitTransaction();
        } else {
            job.abortTransaction();
        }
    }

    private static AuditRecord decision(String detail, Instant at) {
        return new AuditRecord(at, "risk-job", "region", "440000", "override", "pa-carol", "accepted", detail);
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
