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

/** "Who looked me up" survives a restart of the serving process: the audit index is in RocksDB with its positions. */
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
}
