package org.healthcode.interop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.healthcode.interop.StatusFixtures;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.AuditUnavailableException;
import org.healthcode.interop.audit.LookupAudit;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;
import org.healthcode.interop.store.StatusView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lookup is answered only when its audit record was taken: the audit fails closed. */
class StatusLookupServiceTest {
    private static final Caller ALICE_APP = new Caller("alice-app", Role.APP, "440000", Caller.Via.API_KEY);

    @TempDir
    Path dir;

    /** An audit sink that keeps what it takes, or refuses everything while {@code down} is set. */
    private static final class SwitchableAudit implements AuditSink {
        final List<AuditRecord> taken = new CopyOnWriteArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();

        @Override
        public void lookup(LookupAudit audit) {
            // every record arrives through record()
        }

        @Override
        public void record(AuditRecord audit) {
            if (down.get()) {
                throw new AuditUnavailableException("audit topic unreachable", new RuntimeException("broker down"));
            }
            taken.add(audit);
        }
    }

    @Test
    void aLookupWhoseAuditRecordIsRefusedIsAnsweredUnavailableNotWithTheStatus() throws Exception {
        try (StatusView view = StatusView.open(dir.resolve("view"))) {
            view.apply(
                    List.of(new StatusView.Change(
                            "pa-alice",
                            StatusFixtures.redAfterPositiveTest("pa-alice", 1, StatusFixtures.MONDAY_9AM)
                                    .toByteArray())),
                    Map.of());
            SwitchableAudit audit = new SwitchableAudit();
            ServingMetrics metrics = new ServingMetrics();
            StatusLookupService lookups = new StatusLookupService(
                    view, audit, metrics, Clock.fixed(StatusFixtures.TUESDAY_9AM, ZoneOffset.UTC));

            assertThat(lookups.lookup(ALICE_APP, "pa-alice")).isInstanceOf(LookupResult.Found.class);
            assertThat(audit.taken)
                    .extracting(AuditRecord::subject, AuditRecord::result)
                    .containsExactly(tuple("pa-alice", "found"));

            audit.down.set(true);
            LookupResult refused = lookups.lookup(ALICE_APP, "pa-alice");
            assertThat(refused)
                    .isInstanceOfSatisfying(
                            LookupResult.Failed.class,
                            f -> assertThat(f.reason()).isEqualTo(ErrorReason.UNAVAILABLE));
            assertThat(audit.taken).hasSize(1);
            // a refusal under load is still answered (it reveals nothing), even without audit
            lookups.recordRefused(ErrorReason.OVERLOADED);

            audit.down.set(false);
            assertThat(lookups.lookup(ALICE_APP, "pa-alice")).isInstanceOf(LookupResult.Found.class);
            assertThat(audit.taken).extracting(AuditRecord::result).containsExactly("found", "found");
            assertThat(metrics.render())
                    .contains("healthcode_lookups_total{result=\"unavailable\"} 1")
                    .contains("healthcode_lookups_total{result=\"found\"} 2")
                    .contains("healthcode_lookups_total{result=\"overloaded\"} 1");
        }
    }

    @Test
    void anAsynchronousLookupIsAnsweredOnlyWhenItsAuditRecordIsDurable() throws Exception {
        try (StatusView view = StatusView.open(dir.resolve("view"))) {
            view.apply(
                    List.of(new StatusView.Change(
                            "pa-alice",
                            StatusFixtures.redAfterPositiveTest("pa-alice", 1, StatusFixtures.MONDAY_9AM)
                                    .toByteArray())),
                    Map.of());
            List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();
            AuditSink slowBroker = new AuditSink() {
                @Override
                public void lookup(LookupAudit audit) {}

                @Override
                public CompletableFuture<Void> recordAsync(AuditRecord audit) {
                    CompletableFuture<Void> ack = new CompletableFuture<>();
                    pending.add(ack);
                    return ack;
                }
            };
            StatusLookupService lookups = new StatusLookupService(
                    view, slowBroker, new ServingMetrics(), Clock.fixed(StatusFixtures.TUESDAY_9AM, ZoneOffset.UTC));

            CompletableFuture<LookupResult> acknowledged = lookups.lookupAsync(ALICE_APP, "pa-alice");
            CompletableFuture<LookupResult> refused = lookups.lookupAsync(ALICE_APP, "pa-alice");
            assertThat(acknowledged).isNotDone();
            assertThat(refused).isNotDone();

            pending.get(0).complete(null);
            pending.get(1).completeExceptionally(new AuditUnavailableException("no ack", new RuntimeException()));
            assertThat(acknowledged.get()).isInstanceOf(LookupResult.Found.class);
            assertThat(refused.get())
                    .isInstanceOfSatisfying(
                            LookupResult.Failed.class,
                            f -> assertThat(f.reason()).isEqualTo(ErrorReason.UNAVAILABLE));
        }
    }

    @Test
    void aViewOlderThanTheBoundAnswersViewStaleWithoutReadingOrAuditing() throws Exception {
        try (StatusView view = StatusView.open(dir.resolve("view"))) {
            view.apply(
                    List.of(new StatusView.Change(
                            "pa-alice",
                            StatusFixtures.redAfterPositiveTest("pa-alice", 1, StatusFixtures.MONDAY_9AM)
                                    .toByteArray())),
                    Map.of());
            SwitchableAudit audit = new SwitchableAudit();
            ServingMetrics metrics = new ServingMetrics();
            StatusLookupService lookups = new StatusLookupService(
                    view, audit, metrics, Clock.fixed(StatusFixtures.TUESDAY_9AM, ZoneOffset.UTC));
            AtomicLong ageMillis = new AtomicLong(4_000);
            lookups.requireFreshView(ageMillis::get, 5_000);

            assertThat(lookups.lookup(ALICE_APP, "pa-alice")).isInstanceOf(LookupResult.Found.class);
            ageMillis.set(5_001);
            assertThat(lookups.lookup(ALICE_APP, "pa-alice")).isInstanceOfSatisfying(LookupResult.Failed.class, f -> {
                assertThat(f.reason()).isEqualTo(ErrorReason.VIEW_STALE);
                assertThat(f.message()).contains("5001 ms");
            });
            assertThat(audit.taken).hasSize(1);
            assertThat(metrics.render()).contains("healthcode_lookups_total{result=\"view_stale\"} 1");
        }
    }

    @Test
    void thePersonIdCheckSaysWhatThePatternSays() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        String alphabet = "aZ09_-./ %\u00e9\u0000:";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                id.append(
                        random.nextInt(10) < 8
                                ? (char) ('a' + random.nextInt(26))
                                : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = id.toString();
            assertThat(PersonIds.isWellFormed(s))
                    .as(s)
                    .isEqualTo(PersonIds.WELL_FORMED.matcher(s).matches());
        }
        assertThat(PersonIds.isWellFormed(null)).isFalse();
        assertThat(PersonIds.isWellFormed("x".repeat(64))).isTrue();
        assertThat(PersonIds.isWellFormed("x".repeat(65))).isFalse();
    }
}
