package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
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
 * "Who looked me up" survives a restart of the serving process: the audit index is in RocksDB with its positions; and
 * what the risk job wrote in a transaction it aborted is not in it.
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
}
