package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The epoch on statuses: a job started with empty state takes a new one (later than any before), a restore keeps
 * it and seq goes on, and without epochs (replay) it is 0.
 */
class StatusEpochTest {
    private static final Instant MONDAY_9AM = Instant.parse("2022-04-04T01:00:00Z");

    @Test
    void aFreshStartTakesANewEpochAndARestoreKeepsItWhileSeqGoesOn() throws Exception {
        long before = System.currentTimeMillis();
        StatusChange first;
        OperatorSubtaskState snapshot;
        try (KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> h = harness(true)) {
            h.open();
            send(h, Fixtures.positivePcr("alice", MONDAY_9AM));
            first = single(h);
            snapshot = h.snapshot(1, 1);
        }
        assertThat(first.epoch()).isGreaterThanOrEqualTo(before);
        assertThat(first.seq()).isEqualTo(1);

        try (KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> h = harness(true)) {
            h.initializeState(snapshot);
            h.open();
            send(h, Fixtures.diagnosis("alice", DiagnosisStatus.CLEARED, MONDAY_9AM.plusSeconds(3600)));
            StatusChange next = single(h);
            assertThat(next.epoch()).isEqualTo(first.epoch());
            assertThat(next.seq()).isEqualTo(2);
        }

        Thread.sleep(2); // a later start is a later epoch, to the millisecond
        try (KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> h = harness(true)) {
            h.open();
            send(h, Fixtures.positivePcr("alice", MONDAY_9AM));
            StatusChange rebuilt = single(h);
            assertThat(rebuilt.seq()).isEqualTo(1);
            assertThat(rebuilt.epoch()).isGreaterThan(first.epoch());
        }
    }

    @Test
    void withoutEpochsStatusesCarryZero() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> h = harness(false)) {
            h.open();
            send(h, Fixtures.positivePcr("alice", MONDAY_9AM));
            assertThat(single(h).epoch()).isZero();
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> harness(
            boolean epochs) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new PersonRiskFunction(RuleSet.defaults(), SideOutputs.REJECTED, epochs),
                        List.of(RuleBroadcast.DESCRIPTOR)),
                PersonInput::personId,
                Types.STRING,
                128,
                1,
                0);
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> h, Event e)
            throws Exception {
        h.processElement(new StreamRecord<>(PersonInput.of(e), e.time()));
        h.processWatermark(new Watermark(e.time()));
        h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
    }

    private static StatusChange single(
            KeyedBroadcastOperatorTestHarness<String, PersonInput, RuleSetUpdate, StatusChange> h) {
        List<StatusChange> out = h.getOutput().stream()
                .filter(o -> o instanceof StreamRecord<?>)
                .map(o -> (StatusChange) ((StreamRecord<?>) o).getValue())
                .toList();
        assertThat(out).hasSize(1);
        h.getOutput().clear();
        return out.get(0);
    }
}
