package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.rules.RuleSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Duplicates are dropped; events later than the allowed lateness are rejected as late, with their bytes; the
 * lateness follows the rule set in force.
 */
class DuplicateAndLateFilterTest {
    private static final long LATENESS_MS = Duration.ofHours(48).toMillis();
    private KeyedBroadcastOperatorTestHarness<Integer, FeedRecord, RuleSetUpdate, Event> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new DuplicateAndLateFilter(SideOutputs.REJECTED, LATENESS_MS),
                new DuplicateAndLateFilter.ShardKey(),
                Types.INT,
                RuleBroadcast.LATENESS);
    }

    /** The default rule set with another allowed lateness (or another value: a broken one). */
    private static RuleSetUpdate rulesWithLateness(String hours) {
        String json = new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                .replace("\"allowedLatenessHours\": 48", "\"allowedLatenessHours\": " + hours);
        return new RuleSetUpdate("rules", 0, 3, json.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(Event e) throws Exception {
        h.processElement(new StreamRecord<>(
                FeedRecord.ofKafka(Decoded.ok(e), "health", 0, 17, e.eventId().getBytes(StandardCharsets.UTF_8)),
                e.time()));
    }

    /** Event time from the feed; the rules input never holds it back. */
    private void watermarkAt(java.time.Instant t) throws Exception {
        h.processWatermark(new Watermark(t.toEpochMilli()));
        h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
    }

    private List<Event> passed() {
        return h.extractOutputValues();
    }

    @Test
    void aSecondEventWithTheSameIdIsDropped() throws Exception {
        Event visit = feverClinicVisit(ALICE, MONDAY_9AM);
        send(visit);
        send(visit);
        assertThat(passed()).containsExactly(visit);
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).isNull();
    }

    @Test
    void anEventBeyondTheAllowedLatenessIsRejectedAsLateWithItsOriginalBytes() throws Exception {
        watermarkAt(plusDays(MONDAY_9AM, 10));
        Event tooLate = negativePcr(ALICE, plusDays(MONDAY_9AM, 7));
        Event withinLateness = negativePcr(ALICE, plusHours(plusDays(MONDAY_9AM, 8), 1));
        send(tooLate);
        send(withinLateness);
        assertThat(passed()).containsExactly(withinLateness);
        List<Rejected> rejected = h.getSideOutput(SideOutputs.REJECTED).stream()
                .map(StreamRecord::getValue)
                .toList();
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.category()).isEqualTo("late");
            assertThat(r.field()).isEqualTo("time");
            assertThat(r.reason()).startsWith("late:").contains("48 h");
            assertThat(r.source()).isEqualTo("health/0@17");
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo(tooLate.eventId());
        });
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void anIdIsForgottenWhenTheWatermarkPassesTheEndOfItsHourPlusTheAllowedLateness() throws Exception {
        Event visit = feverClinicVisit(ALICE, MONDAY_9AM);
        send(visit);
        send(negativePcr(ALICE, MONDAY_9AM));
        assertThat(stateEntries()).isPositive();
        assertThat(h.numEventTimeTimers()).isPositive();

        // exactly the allowed lateness behind: not late, and a copy is still recognised
        watermarkAt(plusHours(MONDAY_9AM, 48));
        send(visit);
        assertThat(passed()).hasSize(2);
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).isNull();
        // the hour 9:00-10:00 is kept until its end plus 48 h
        watermarkAt(plusHours(MONDAY_9AM, 49).minusMillis(1));
        assertThat(stateEntries()).isPositive();

        watermarkAt(plusHours(MONDAY_9AM, 49));
        assertThat(stateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        // from then on a copy is late, and rejected as such: never silently dropped
        send(visit);
        assertThat(passed()).hasSize(2);
        assertThat(h.getSideOutput(SideOutputs.REJECTED))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().category()).isEqualTo("late"));
    }

    @Test
    void aPassThatForgetsLaterHoursLeavesNoTimerForThem() throws Exception {
        // two ids of one shard, an hour and a half apart: the first hour's timer fires when the watermark has passed
        // both beyond the lateness, forgets both, and the second hour's timer goes with them
        Event visit = feverClinicVisit(ALICE, MONDAY_9AM);
        int shard = Math.floorMod(visit.eventId().hashCode(), DuplicateAndLateFilter.SHARDS);
        String sameShard = java.util.stream.IntStream.iterate(0, i -> i + 1)
                .mapToObj(i -> "later-" + i)
                .filter(id -> Math.floorMod(id.hashCode(), DuplicateAndLateFilter.SHARDS) == shard)
                .findFirst()
                .orElseThrow();
        send(visit);
        Event later = negativePcr(ALICE, MONDAY_9AM.plusSeconds(90 * 60));
        send(Event.builder(sameShard, later.type(), later.time(), later.region())
                .personId(ALICE)
                .build());
        assertThat(h.numEventTimeTimers()).isEqualTo(2);

        watermarkAt(plusHours(MONDAY_9AM, 48).plusSeconds(105 * 60));
        assertThat(stateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aRuleSetThatAllowsMoreLatenessKeepsTheSeenIdsLonger() throws Exception {
        Event visit = feverClinicVisit(ALICE, MONDAY_9AM);
        send(visit);
        h.processBroadcastElement(rulesWithLateness("72"), 0);
        watermarkAt(plusHours(MONDAY_9AM, 60));
        assertThat(stateEntries()).isPositive();
        send(visit); // 60 h late: within the new 72 h, and still a copy
        assertThat(passed()).containsExactly(visit);
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).isNull();
        watermarkAt(plusHours(MONDAY_9AM, 73));
        assertThat(stateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aNewRuleSetChangesTheAllowedLatenessOfTheEventsAfterIt() throws Exception {
        watermarkAt(plusDays(MONDAY_9AM, 10));
        Event thirtyHoursLate = negativePcr(ALICE, plusHours(plusDays(MONDAY_9AM, 8), 18));
        Event alsoThirtyHoursLate = feverClinicVisit(ALICE, plusHours(plusDays(MONDAY_9AM, 8), 18));
        send(thirtyHoursLate); // within the start-up 48 h
        h.processBroadcastElement(rulesWithLateness("24"), 0);
        send(alsoThirtyHoursLate); // beyond the new 24 h
        assertThat(passed()).containsExactly(thirtyHoursLate);
        assertThat(h.getSideOutput(SideOutputs.REJECTED))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().reason()).contains("allowed lateness of 24 h"));
    }

    @Test
    void anInvalidRuleSetLeavesTheAllowedLatenessAsItWas() throws Exception {
        watermarkAt(plusDays(MONDAY_9AM, 10));
        h.processBroadcastElement(rulesWithLateness("\"soon\""), 0);
        Event thirtyHoursLate = negativePcr(ALICE, plusHours(plusDays(MONDAY_9AM, 8), 18));
        send(thirtyHoursLate);
        assertThat(passed()).containsExactly(thirtyHoursLate);
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).isNull();
    }
}
