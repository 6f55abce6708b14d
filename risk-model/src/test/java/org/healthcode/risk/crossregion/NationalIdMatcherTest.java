package org.healthcode.risk.crossregion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.CrossRegionFixtures.ALICE_NATIONAL;
import static org.healthcode.risk.testing.CrossRegionFixtures.GUANGDONG;
import static org.healthcode.risk.testing.CrossRegionFixtures.nationalIdentity;
import static org.healthcode.risk.testing.CrossRegionFixtures.riskPerson;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.junit.jupiter.api.Test;

/** Pushed records find this region's person through the identity binding's national pseudonym, or wait for it. */
class NationalIdMatcherTest {
    private static final Instant SINCE = plusDays(MONDAY_9AM, -2);
    private static final Instant EXPIRY = plusDays(MONDAY_9AM, 5);

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new NationalIdMatcher(), Event::nationalId, Types.STRING);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, Event e) throws Exception {
        h.processElement(new StreamRecord<>(e, e.time()));
    }

    private static int stateEntries(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h) {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void aRecordForABoundPersonNamesThatPersonAtOnce() throws Exception {
        try (var h = harness()) {
            send(h, nationalIdentity(ALICE, ALICE_NATIONAL, "310104", MONDAY_9AM));
            Event record =
                    riskPerson(GUANGDONG, ALICE_NATIONAL, "red", "infection", SINCE, EXPIRY, plusHours(MONDAY_9AM, 1));
            send(h, record);
            List<Event> out = h.extractOutputValues();
            assertThat(out).singleElement().satisfies(e -> {
                assertThat(e.personId()).isEqualTo(ALICE);
                assertThat(e.eventId()).isEqualTo(record.eventId());
                assertThat(e.colour()).isEqualTo("red");
            });
        }
    }

    @Test
    void aRecordBeforeTheBindingWaitsForIt() throws Exception {
        try (var h = harness()) {
            send(h, riskPerson(GUANGDONG, ALICE_NATIONAL, "red", "infection", SINCE, EXPIRY, MONDAY_9AM));
            assertThat(h.extractOutputValues()).isEmpty();
            send(h, nationalIdentity(ALICE, ALICE_NATIONAL, "310104", plusHours(MONDAY_9AM, 3)));
            assertThat(h.extractOutputValues()).extracting(Event::personId).containsExactly(ALICE);
            // only the binding is left
            assertThat(stateEntries(h)).isEqualTo(1);
        }
    }

    @Test
    void aWaitingRecordLeavesAtItsExpiryAndAWithdrawalTakesItBackAtOnce() throws Exception {
        try (var h = harness()) {
            send(h, riskPerson(GUANGDONG, ALICE_NATIONAL, "red", "infection", SINCE, EXPIRY, MONDAY_9AM));
            h.processWatermark(new Watermark(EXPIRY.toEpochMilli()));
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            send(
                    h,
                    riskPerson(
                            GUANGDONG, "nat-bob", "red", "contact", SINCE, plusDays(EXPIRY, 10), plusDays(EXPIRY, 1)));
            send(
                    h,
                    riskPerson(
                            GUANGDONG, "nat-bob", "green", "contact", plusDays(EXPIRY, 2), null, plusDays(EXPIRY, 2)));
            send(h, nationalIdentity("bob", "nat-bob", "310104", plusDays(EXPIRY, 3)));
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
