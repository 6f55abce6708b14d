package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.ALICE_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.BOB_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.RULES;
import static org.healthcode.risk.contacts.ContactFixtures.bind;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.contacts.ContactFixtures.ping;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.healthcode.ingest.events.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pings of one phone become stays, attributed through the identity binding, in event-time order. */
class PhoneStayBuilderTest {

    private static final Instant BOUND = MONDAY_9AM.minusSeconds(86_400);
    private static final Instant T0 = MONDAY_9AM;

    private PhoneStayBuilder operator;
    private KeyedOneInputStreamOperatorTestHarness<String, PhoneSignal, Stay> h;

    @BeforeEach
    void open() throws Exception {
        h = harness(new PhoneStayBuilder(RULES));
        h.open();
    }

    private KeyedOneInputStreamOperatorTestHarness<String, PhoneSignal, Stay> harness(PhoneStayBuilder op)
            throws Exception {
        operator = op;
        return new KeyedOneInputStreamOperatorTestHarness<>(op, PhoneSignal::msisdn, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(Event... events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(PhoneSignal.of(e, ContactFixtures.GRID), e.time()));
        }
    }

    private void advanceTo(Instant t) throws Exception {
        h.processWatermark(ms(t));
    }

    /** What a task does at a checkpoint: the pre-barrier hook, then the snapshot. */
    private OperatorSubtaskState checkpoint(long id) throws Exception {
        h.prepareSnapshotPreBarrier(id);
        return h.snapshot(id, id);
    }

    private List<Stay> stays() {
        return h.extractOutputValues();
    }

    @Test
    void consecutivePingsInOneCellFormOneStayFromTheFirstToTheLast() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 45), 1, 1));
        advanceTo(plusMinutes(T0, 200));

        assertThat(stays()).singleElement().satisfies(s -> {
            assertThat(s.personId()).isEqualTo(ALICE);
            assertThat(s.cell()).isEqualTo("cell:1:1");
            assertThat(s.from()).isEqualTo(ms(T0));
            assertThat(s.to()).isEqualTo(ms(plusMinutes(T0, 45)));
            assertThat(s.pings()).isEqualTo(3);
        });
    }

    @Test
    void aGapOfMoreThanThirtyMinutesEndsAStayButExactlyThirtyDoesNot() throws Exception {
        Instant t30 = plusMinutes(T0, 30);
        Instant secondStart = t30.plusSeconds(30 * 60 + 1);
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, t30, 1, 1),
                ping(ALICE_PHONE, secondStart, 1, 1), ping(ALICE_PHONE, plusMinutes(secondStart, 10), 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).extracting(Stay::from, Stay::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ms(T0), ms(t30)),
                org.assertj.core.groups.Tuple.tuple(ms(secondStart), ms(plusMinutes(secondStart, 10))));
    }

    @Test
    void aPingInAnotherCellEndsTheStay() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 2, 1), ping(ALICE_PHONE, plusMinutes(T0, 30), 2, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).extracting(Stay::cell, Stay::from, Stay::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(T0), ms(plusMinutes(T0, 10))),
                org.assertj.core.groups.Tuple.tuple("cell:2:1", ms(plusMinutes(T0, 20)), ms(plusMinutes(T0, 30))));
    }

    @Test
    void pingsArrivingOutOfOrderBeforeTheWatermarkGiveTheSameStays() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, plusMinutes(T0, 30), 2, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 40), 2, 1),
                ping(ALICE_PHONE, T0, 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).extracting(Stay::cell, Stay::from, Stay::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(T0), ms(plusMinutes(T0, 10))),
                org.assertj.core.groups.Tuple.tuple("cell:2:1", ms(plusMinutes(T0, 30)), ms(plusMinutes(T0, 40))));
    }

    @Test
    void duplicatedPingsChangeNothing() throws Exception {
        Event first = ping(ALICE_PHONE, T0, 1, 1);
        Event last = ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1);
        send(bind(ALICE_PHONE, ALICE, BOUND), first, last, first, last);
        advanceTo(plusMinutes(T0, 25));
        send(first, last); // repeats arriving behind the watermark, inside the open stay
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).singleElement().satisfies(s -> assertThat(s.pings()).isEqualTo(2));
        assertThat(h.getSideOutput(ContactOutputTags.LATE_PINGS)).isNull();
    }

    @Test
    void aPingBehindTheWatermarkThatCannotBePlacedGoesToTheLateSideOutput() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        advanceTo(plusMinutes(T0, 120));
        Event late = ping(ALICE_PHONE, plusMinutes(T0, 5), 3, 3);
        send(late);

        assertThat(h.getSideOutput(ContactOutputTags.LATE_PINGS)).extracting(r -> r.getValue().eventId())
                .containsExactly(late.eventId());
    }

    @Test
    void aPhoneReboundToAnotherPersonGoesToTheNewPersonFromTheBindingTime() throws Exception {
        Instant rebound = plusMinutes(T0, 15);
        send(ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 40), 1, 1),
                bind(ALICE_PHONE, BOB, rebound), bind(ALICE_PHONE, ALICE, BOUND));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).extracting(Stay::personId, Stay::from, Stay::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 10))),
                org.assertj.core.groups.Tuple.tuple(BOB, ms(plusMinutes(T0, 20)), ms(plusMinutes(T0, 40))));
    }

    @Test
    void pingsOfAPhoneWithNoBindingYetAreNotAttributed() throws Exception {
        send(ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                bind(ALICE_PHONE, ALICE, plusMinutes(T0, 30)));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).isEmpty();
    }

    @Test
    void onlyTheBindingIsLeftOnceTheWatermarkPassesTheLastGap() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 40), 2, 1));
        assertThat(operator.bufferedSignals()).isEqualTo(4); // nothing applied before the watermark passes
        assertThat(h.numEventTimeTimers()).isZero(); // no timer per ping

        advanceTo(plusMinutes(T0, 40));
        checkpoint(1L); // writes the phone's state back
        assertThat(operator.bufferedSignals()).isZero();
        assertThat(operator.openStays()).isEqualTo(1); // the single-ping stay in cell 2:1 waits for its gap
        assertThat(h.numKeyedStateEntries()).isEqualTo(1); // binding and open stay, one entry

        advanceTo(plusMinutes(T0, 40 + 31));
        checkpoint(2L);
        assertThat(operator.openStays()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the binding lives as long as the phone
        assertThat(stays()).hasSize(1); // the single-ping stay in cell 2:1 has no length and is not emitted
    }

    @Test
    void aSilentPhonesStayEndsWhenTheWatermarkPassesItsLastPingPlusTheGap() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        advanceTo(plusMinutes(T0, 50));
        assertThat(stays()).isEmpty(); // last ping + 30 min not yet passed

        h.processWatermark(ms(plusMinutes(T0, 50)) + 1);
        assertThat(stays()).singleElement().satisfies(s -> assertThat(s.to()).isEqualTo(ms(plusMinutes(T0, 20))));
    }

    @Test
    void restoredFromACheckpointItGivesTheSameStaysAsWithoutAFailure() throws Exception {
        // state at the checkpoint: an open stay (applied) and pings still waiting for the watermark (buffered)
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 30), 2, 1));
        advanceTo(plusMinutes(T0, 10));
        OperatorSubtaskState snapshot = checkpoint(1L);
        h.close();

        h = harness(new PhoneStayBuilder(RULES, 1)); // a cache of one phone: every other phone goes through state
        h.initializeState(snapshot);
        h.open();
        send(ping(ALICE_PHONE, plusMinutes(T0, 35), 2, 1), ping(BOB_PHONE, T0, 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).extracting(Stay::cell, Stay::from, Stay::to, Stay::pings).containsExactly(
                org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(T0), ms(plusMinutes(T0, 20)), 3),
                org.assertj.core.groups.Tuple.tuple("cell:2:1", ms(plusMinutes(T0, 30)), ms(plusMinutes(T0, 35)), 2));
    }
}
