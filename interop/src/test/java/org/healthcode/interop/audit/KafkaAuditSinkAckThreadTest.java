package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waits for an audit record's acknowledgement runs off the producer's single network thread: that thread only
 * hands the acknowledged records over, so rendering and writing the answers neither holds back the next produce
 * request nor is confined to one core.
 */
class KafkaAuditSinkAckThreadTest {
    @TempDir
    Path dir;

    /** Whether the record was acknowledged, and the thread that learnt it. */
    private record Outcome(boolean durable, String thread) {}

    @Test
    void answersWaitingForTheAcknowledgementRunOnTheSinksOwnThreadsAfterTheRecordIsDurable() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            Topics.ensure(bootstrap, List.of(Topics.plain("audit", 1)));
            try (KafkaAuditSink sink = new KafkaAuditSink(bootstrap, "audit", AuditSink.DISCARD)) {
                // a fresh broker may refuse the first records within the sink's bound: those answers (503) take
                // the same way, so every outcome is checked, until enough records were acknowledged
                int acknowledged = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                for (int i = 0; acknowledged < 20 && System.nanoTime() < deadline; i++) {
                    AuditRecord r = new AuditRecord(
                            Instant.now(), "app", "app", "r1", AuditRecord.LOOKUP, "p-" + i, "found", null);
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
}
