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
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.healthcode.ingest.events.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pings of one phone become stays, attributed through the identity binding, in event-time order. */
class PhoneStayBuilderTest {

    private static final Instant BOUND = MONDAY_9AM.minusSeconds(86_400);
    private static final Instant T0 = MONDAY_9AM;

    private PhoneStayBuilder operator;
    private KeyedTwoInputStreamOperatorTestHarness<String, PhoneSignal, PhoneSignal, Stay> h;

    @BeforeEach
    void open() throws Exception {
        h = harness(new PhoneStayBuilder(RULES));
        h.open();
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, PhoneSignal, PhoneSignal, Stay> harness(PhoneStayBuilder op)
            throws Exception {
        operator = op;
        return new KeyedTwoInputStreamOperatorTestHarness<>(op, PhoneSignal::msisdn, PhoneSignal::msisdn, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** Pings to input 1, bindings to input 2. */
    private void send(Event... events) throws Exception {
        for (Event e : events) {
            PhoneSignal s = PhoneSignal.of(e, ContactFixtures.GRID);
            if (s.binding()) {
                h.processElement2(new StreamRecord<>(s, e.time()));
            } else {
                h.processElement1(new StreamRecord<>(s, e.time()));
            }
        }
    }

    /** Both inputs' watermarks: one event-time domain. */
    private void advanceTo(Instant t) throws Exception {
        advanceTo(ms(t));
    }

    private void advanceTo(long t) throws Exception {
        h.processWatermark1(new Watermark(t));
        h.processWatermark2(new Watermark(t));
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
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
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
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, t30, 1, 1),
                ping(ALICE_PHONE, secondStart, 1, 1),
                ping(ALICE_PHONE, plusMinutes(secondStart, 10), 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ms(T0), ms(t30)),
                        org.assertj.core.groups.Tuple.tuple(ms(secondStart), ms(plusMinutes(secondStart, 10))));
    }

    @Test
    void aPingInAnotherCellEndsTheStay() throws Exception {
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 2, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 30), 2, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::cell, Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(T0), ms(plusMinutes(T0, 10))),
                        org.assertj.core.groups.Tuple.tuple(
                                "cell:2:1", ms(plusMinutes(T0, 20)), ms(plusMinutes(T0, 30))));
    }

    @Test
    void pingsArrivingOutOfOrderBeforeTheWatermarkGiveTheSameStays() throws Exception {
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, plusMinutes(T0, 30), 2, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 40), 2, 1),
                ping(ALICE_PHONE, T0, 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::cell, Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(T0), ms(plusMinutes(T0, 10))),
                        org.assertj.core.groups.Tuple.tuple(
                                "cell:2:1", ms(plusMinutes(T0, 30)), ms(plusMinutes(T0, 40))));
    }

    @Test
    void duplicatedPingsChangeNothing() throws Exception {
        Event first = ping(ALICE_PHONE, T0, 1, 1);
        Event last = ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1);
        send(bind(ALICE_PHONE, ALICE, BOUND), first, last, first, last);
        advanceTo(plusMinutes(T0, 25));
        send(first, last); // repeats arriving behind the watermark, inside the open stay
        advanceTo(plusMinutes(T0, 300));

        // reported while open after the first step, then ended: the same two pings each time
        assertThat(stays())
                .extracting(Stay::pings, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, ms(plusMinutes(T0, 20))),
                        org.assertj.core.groups.Tuple.tuple(2, ms(plusMinutes(T0, 20))));
        assertThat(h.getSideOutput(ContactOutputTags.LATE_PINGS)).isNull();
    }

    @Test
    void aPingBehindTheWatermarkThatCannotBePlacedGoesToTheLateSideOutput() throws Exception {
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        advanceTo(plusMinutes(T0, 120));
        Event late = ping(ALICE_PHONE, plusMinutes(T0, 5), 3, 3);
        send(late);

        assertThat(h.getSideOutput(ContactOutputTags.LATE_PINGS))
                .extracting(r -> r.getValue().eventId())
                .containsExactly(late.eventId());
    }

    @Test
    void aPhoneReboundToAnotherPersonGoesToTheNewPersonFromTheBindingTime() throws Exception {
        Instant rebound = plusMinutes(T0, 15);
        send(
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 40), 1, 1),
                bind(ALICE_PHONE, BOB, rebound),
                bind(ALICE_PHONE, ALICE, BOUND));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 10))),
                        org.assertj.core.groups.Tuple.tuple(BOB, ms(plusMinutes(T0, 20)), ms(plusMinutes(T0, 40))));
    }

    @Test
    void pingsOfAPhoneWithNoBindingYetAreNotAttributed() throws Exception {
        send(
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                bind(ALICE_PHONE, ALICE, plusMinutes(T0, 30)));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays()).isEmpty();
    }

    @Test
    void onlyTheBindingIsLeftOnceTheWatermarkPassesTheLastGap() throws Exception {
        h.close();
        h = harness(new PhoneStayBuilder(
                RULES, PhoneSideSettings.DEFAULTS.phoneCache(), 0, PhoneSideSettings.DEFAULTS.pingsInHeap()));
        h.open();
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 40), 2, 1));
        assertThat(operator.bufferedSignals()).isEqualTo(3); // pings wait for the watermark; bindings are recorded
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
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        advanceTo(plusMinutes(T0, 50));
        assertThat(operator.openStays()).isEqualTo(1); // last ping + 30 min not yet passed (it is reported as open)

        advanceTo(ms(plusMinutes(T0, 50)) + 1);
        assertThat(operator.openStays()).isZero();
        assertThat(stays()).last().satisfies(s -> assertThat(s.to()).isEqualTo(ms(plusMinutes(T0, 20))));
    }

    @Test
    void restoredFromACheckpointItGivesTheSameStaysAsWithoutAFailure() throws Exception {
        // state at the checkpoint: an open stay (applied) and pings still waiting for the watermark (buffered)
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 30), 2, 1));
        advanceTo(plusMinutes(T0, 10));
        OperatorSubtaskState snapshot = checkpoint(1L);
        h.close();

        h = harness(new PhoneStayBuilder(RULES, 1)); // a cache of one phone: every other phone goes through state
        h.initializeState(snapshot);
        h.open();
        send(ping(ALICE_PHONE, plusMinutes(T0, 35), 2, 1), ping(BOB_PHONE, T0, 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::cell, Stay::from, Stay::to, Stay::pings)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(T0), ms(plusMinutes(T0, 20)), 3),
                        org.assertj.core.groups.Tuple.tuple(
                                "cell:2:1", ms(plusMinutes(T0, 30)), ms(plusMinutes(T0, 35)), 2));
    }

    @Test
    void aCheckpointWritesThePhonesChangedSinceTheLastOneAndKeepsTheOthers() throws Exception {
        // Alice's phone changes before checkpoint 1 only, Bob's before both: restored from checkpoint 2, Alice's
        // state is the one written at checkpoint 1 and Bob's the one written at checkpoint 2
        h.close();
        h = harness(new PhoneStayBuilder(
                RULES, PhoneSideSettings.DEFAULTS.phoneCache(), 0, PhoneSideSettings.DEFAULTS.pingsInHeap()));
        h.open();
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                bind(BOB_PHONE, BOB, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(BOB_PHONE, T0, 5, 5));
        advanceTo(T0);
        checkpoint(1L);
        send(ping(BOB_PHONE, plusMinutes(T0, 10), 5, 5));
        advanceTo(plusMinutes(T0, 10));
        OperatorSubtaskState snapshot = checkpoint(2L);
        h.close();

        h = harness(new PhoneStayBuilder(RULES));
        h.initializeState(snapshot);
        h.open();
        send(ping(ALICE_PHONE, plusMinutes(T0, 15), 1, 1), ping(BOB_PHONE, plusMinutes(T0, 20), 5, 5));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to, Stay::pings)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 15)), 2),
                        org.assertj.core.groups.Tuple.tuple(BOB, ms(T0), ms(plusMinutes(T0, 20)), 3));
    }

    @Test
    void aPhoneIsWrittenBackOnceItStaysUnchangedForABarrierAndCarriedInRawKeyedStateUntilThen() throws Exception {
        // both phones change before checkpoint 1: it carries them in raw keyed state; only Bob's changes again
        // before checkpoint 2, which writes Alice's back to keyed state and carries Bob's in raw keyed state again
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                bind(BOB_PHONE, BOB, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(BOB_PHONE, T0, 5, 5));
        advanceTo(T0);
        OperatorSubtaskState first = checkpoint(1L);
        send(ping(BOB_PHONE, plusMinutes(T0, 10), 5, 5));
        advanceTo(plusMinutes(T0, 10));
        OperatorSubtaskState second = checkpoint(2L);
        assertThat(first.getRawKeyedState()).isNotEmpty();
        assertThat(second.getRawKeyedState()).isNotEmpty();
        h.close();

        // restored from checkpoint 2: Bob's three pings make one stay
        assertThat(staysAfterRestoring(second))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 15)), 2),
                        org.assertj.core.groups.Tuple.tuple(BOB, ms(T0), ms(plusMinutes(T0, 20)), 3));
        h.close();
        // checkpoint 2's keyed state alone holds Alice's phone and not Bob's (never written back: no binding, so
        // his pings are not attributed)
        OperatorSubtaskState keyedOnly = OperatorSubtaskState.builder()
                .setManagedKeyedState(second.getManagedKeyedState())
                .setManagedOperatorState(second.getManagedOperatorState())
                .build();
        assertThat(staysAfterRestoring(keyedOnly))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 15)), 2));
    }

    /** Person, from, to and pings of the stays after restoring {@code snapshot} and sending two more pings. */
    private List<org.assertj.core.groups.Tuple> staysAfterRestoring(OperatorSubtaskState snapshot) throws Exception {
        h = harness(new PhoneStayBuilder(RULES));
        h.initializeState(snapshot);
        h.open();
        send(ping(ALICE_PHONE, plusMinutes(T0, 15), 1, 1), ping(BOB_PHONE, plusMinutes(T0, 20), 5, 5));
        advanceTo(plusMinutes(T0, 300));
        return stays().stream()
                .map(s -> org.assertj.core.groups.Tuple.tuple(s.personId(), s.from(), s.to(), s.pings()))
                .toList();
    }

    @Test
    void aRestoredPhoneIsWrittenBackAtTheFirstBarrierUnlessItChanges() throws Exception {
        // restored from raw keyed state, Bob's phone is written to keyed state at the first barrier, so the
        // checkpoint after that needs no raw keyed state to give the same stays
        send(bind(BOB_PHONE, BOB, BOUND), ping(BOB_PHONE, T0, 5, 5));
        advanceTo(T0);
        OperatorSubtaskState raw = checkpoint(1L);
        assertThat(raw.getRawKeyedState()).isNotEmpty();
        h.close();

        h = harness(new PhoneStayBuilder(RULES));
        h.initializeState(raw);
        h.open();
        OperatorSubtaskState written = checkpoint(2L);
        assertThat(written.getRawKeyedState()).isEmpty();
        h.close();

        h = harness(new PhoneStayBuilder(RULES));
        h.initializeState(written);
        h.open();
        send(ping(BOB_PHONE, plusMinutes(T0, 10), 5, 5));
        advanceTo(plusMinutes(T0, 300));
        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to, Stay::pings)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BOB, ms(T0), ms(plusMinutes(T0, 10)), 2));
    }

    @Test
    void theChangedPhonesFollowTheirKeyGroupsWhenTheJobIsRescaled() throws Exception {
        // one subtask of 128 key groups checkpoints between write-backs; two subtasks restore from it, each with
        // the phones of its own key groups, and go on as one subtask would have
        int maxParallelism = 128;
        h.close();
        h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new PhoneStayBuilder(RULES),
                PhoneSignal::msisdn,
                PhoneSignal::msisdn,
                Types.STRING,
                maxParallelism,
                1,
                0);
        h.open();
        List<String> phones = List.of(ALICE_PHONE, BOB_PHONE, "8613900000003", "8613900000004", "8613900000005");
        for (int k = 0; k < phones.size(); k++) {
            send(bind(phones.get(k), "person-" + k, BOUND), ping(phones.get(k), T0, k, 1));
        }
        advanceTo(T0);
        OperatorSubtaskState snapshot = checkpoint(1L);
        assertThat(snapshot.getRawKeyedState()).isNotEmpty();
        h.close();

        List<Stay> restored = new java.util.ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            int index = subtask;
            h = new KeyedTwoInputStreamOperatorTestHarness<>(
                    new PhoneStayBuilder(RULES),
                    PhoneSignal::msisdn,
                    PhoneSignal::msisdn,
                    Types.STRING,
                    maxParallelism,
                    2,
                    index);
            h.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, maxParallelism, 1, 2, index));
            h.open();
            for (int k = 0; k < phones.size(); k++) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(phones.get(k), maxParallelism, 2) == index) {
                    send(ping(phones.get(k), plusMinutes(T0, 10), k, 1));
                }
            }
            advanceTo(plusMinutes(T0, 300));
            restored.addAll(stays());
            h.close();
        }
        h = harness(new PhoneStayBuilder(RULES)); // for close()
        h.open();

        assertThat(restored)
                .extracting(Stay::personId, Stay::from, Stay::to, Stay::pings)
                .containsExactlyInAnyOrder(phones.stream()
                        .map(phone -> org.assertj.core.groups.Tuple.tuple(
                                "person-" + phones.indexOf(phone), ms(T0), ms(plusMinutes(T0, 10)), 2))
                        .toArray(org.assertj.core.groups.Tuple[]::new));
    }

    @Test
    void onRocksDbWithTimersOnTheHeapEveryCheckpointWritesBackAndTheRawStateIsFlinks() throws Exception {
        // RocksDB with heap timers: Flink writes its timers into raw keyed state, so this operator writes every
        // changed phone back at every checkpoint instead; checkpoints move between the two settings both ways
        h.close();
        h = harness(new PhoneStayBuilder(RULES), rocksDb(PriorityQueueStateType.ROCKSDB));
        h.open();
        send(bind(BOB_PHONE, BOB, BOUND), ping(BOB_PHONE, T0, 5, 5));
        advanceTo(T0);
        OperatorSubtaskState ours = checkpoint(1L); // between write-backs: the phone in this operator's raw state
        h.close();

        h = harness(new PhoneStayBuilder(RULES), rocksDb(PriorityQueueStateType.HEAP));
        h.initializeState(ours);
        h.open();
        send(ping(BOB_PHONE, plusMinutes(T0, 10), 5, 5));
        advanceTo(plusMinutes(T0, 10));
        OperatorSubtaskState flinks = checkpoint(2L); // written back; the raw state is the (empty) time service's
        h.close();

        h = harness(new PhoneStayBuilder(RULES), rocksDb(PriorityQueueStateType.ROCKSDB));
        h.initializeState(flinks);
        h.open();
        send(ping(BOB_PHONE, plusMinutes(T0, 20), 5, 5));
        advanceTo(plusMinutes(T0, 300));
        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to, Stay::pings)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BOB, ms(T0), ms(plusMinutes(T0, 20)), 3));
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, PhoneSignal, PhoneSignal, Stay> harness(
            PhoneStayBuilder op, EmbeddedRocksDBStateBackend backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, PhoneSignal, PhoneSignal, Stay> harness = harness(op);
        harness.setStateBackend(backend);
        return harness;
    }

    private static EmbeddedRocksDBStateBackend rocksDb(PriorityQueueStateType timers) {
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend();
        backend.setPriorityQueueStateType(timers);
        return backend;
    }

    @Test
    void pingsBeyondTheHeapLimitWaitInKeyedStateAndGiveTheSameStaysAcrossARestore() throws Exception {
        // the carrier is hours ahead of the bindings: pings wait for the clock. With room for two pings in heap the
        // rest wait in keyed state, per phone; a checkpoint and restore in the middle; the stays are those of an
        // operator with room for all, and once applied nothing is left waiting
        List<Event> pings = new java.util.ArrayList<>();
        for (int m = 0; m <= 60; m += 5) {
            pings.add(ping(ALICE_PHONE, plusMinutes(T0, m), m < 30 ? 1 : 2, 1));
            pings.add(ping(BOB_PHONE, plusMinutes(T0, m + 1), 5, 5));
        }
        List<org.assertj.core.groups.Tuple> expected =
                staysWithBindingsBehind(new PhoneStayBuilder(RULES), pings, false);
        List<org.assertj.core.groups.Tuple> spilled = staysWithBindingsBehind(
                new PhoneStayBuilder(RULES, PhoneSideSettings.DEFAULTS.phoneCache(), 1, 2), pings, true);
        assertThat(expected).hasSize(3);
        assertThat(spilled).containsExactlyElementsOf(expected);
        assertThat(operator.phonesWaitingInState()).isZero();
        assertThat(operator.bufferedSignals()).isZero();
        assertThat(h.numKeyedStateEntries()).isZero(); // no waiting pings (the phones' states are still cached)
    }

    /**
     * Bindings at {@code BOUND}, then the pings with the carrier's watermark far ahead and the bindings' held back;
     * then the bindings' watermark moves past them all. With {@code limited}, checks the pings waiting in keyed
     * state and restores from a checkpoint taken while they wait.
     */
    private List<org.assertj.core.groups.Tuple> staysWithBindingsBehind(
            PhoneStayBuilder op, List<Event> pings, boolean limited) throws Exception {
        h.close();
        h = harness(op);
        h.open();
        send(bind(ALICE_PHONE, ALICE, BOUND), bind(BOB_PHONE, BOB, BOUND));
        h.processWatermark2(new Watermark(ms(BOUND)));
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 600))));
        send(pings.toArray(Event[]::new));
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 700))));
        if (limited) {
            assertThat(operator.bufferedSignals()).isEqualTo(2);
            assertThat(operator.phonesWaitingInState()).isEqualTo(2);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // one list of waiting pings per phone
            OperatorSubtaskState snapshot = checkpoint(1L);
            h.close();
            h = harness(new PhoneStayBuilder(RULES, PhoneSideSettings.DEFAULTS.phoneCache(), 1, 2));
            h.initializeState(snapshot);
            h.open();
            assertThat(operator.phonesWaitingInState()).isEqualTo(2);
            h.processWatermark1(new Watermark(ms(plusMinutes(T0, 700))));
        }
        h.processWatermark2(new Watermark(ms(plusMinutes(T0, 300))));
        return stays().stream()
                .map(s -> org.assertj.core.groups.Tuple.tuple(s.personId(), s.cell(), s.from(), s.to(), s.pings()))
                .toList();
    }

    // --- two event-time domains: the carrier's pings (input 1) and the other feeds' bindings (input 2) ---

    @Test
    void pingsADayBehindTheOtherFeedsAreOnTimeByTheCarrierWatermark() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND));
        h.processWatermark2(new Watermark(ms(plusMinutes(T0, 24 * 60)))); // the other feeds are a day ahead
        send(ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 200))));

        assertThat(h.getSideOutput(ContactOutputTags.LATE_PINGS)).isNullOrEmpty();
        assertThat(stays()).singleElement().satisfies(s -> {
            assertThat(s.personId()).isEqualTo(ALICE);
            assertThat(s.from()).isEqualTo(ms(T0));
            assertThat(s.to()).isEqualTo(ms(plusMinutes(T0, 20)));
        });
    }

    @Test
    void theOutputFollowsTheBindingsWatermarkAndEndsOnlyWhenBothInputsEnd() throws Exception {
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, -10))));
        assertThat(watermarks()).isEmpty(); // the carrier's time stays inside
        h.processWatermark2(new Watermark(ms(plusMinutes(T0, 60))));
        assertThat(watermarks()).containsExactly(ms(plusMinutes(T0, 60)));

        h.processWatermark2(new Watermark(Long.MAX_VALUE)); // the other feeds end first
        assertThat(watermarks()).containsExactly(ms(plusMinutes(T0, 60)));
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        h.processWatermark1(new Watermark(Long.MAX_VALUE));

        assertThat(stays()).hasSize(1);
        assertThat(watermarks()).containsExactly(ms(plusMinutes(T0, 60)), Long.MAX_VALUE);
        int stay = h.getOutput().stream()
                .toList()
                .indexOf(h.getOutput().stream()
                        .filter(o -> o instanceof StreamRecord<?>)
                        .findFirst()
                        .orElseThrow());
        int end = h.getOutput().stream().toList().indexOf(new Watermark(Long.MAX_VALUE));
        assertThat(stay).as("the stay leaves before the end of time").isLessThan(end);
    }

    @Test
    void aQuietCarrierFeedKeepsTheClockWhereItsLastBatchLeftIt() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND), ping(ALICE_PHONE, T0, 1, 1));
        advanceTo(plusMinutes(T0, 1));
        h.processWatermarkStatus1(WatermarkStatus.IDLE); // the carrier goes quiet ...
        h.processWatermark2(new Watermark(ms(plusMinutes(T0, 24 * 60)))); // ... while the other feeds go on a day
        send(ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1)); // its next batch, from that morning

        assertThat(h.getSideOutput(ContactOutputTags.LATE_PINGS)).isNullOrEmpty();
        h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 120))));
        assertThat(stays())
                .extracting(Stay::from, Stay::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ms(T0), ms(plusMinutes(T0, 20))));
    }

    // --- open stays: reported while still open, superseded by the stay itself ---

    @Test
    void anOpenStayIsReportedOnceLongerThanTheCompanionOverlapAndThenEachHourItGrows() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND));
        for (int m = 0; m <= 180; m += 5) {
            send(ping(ALICE_PHONE, plusMinutes(T0, m), 1, 1));
            advanceTo(plusMinutes(T0, m)); // one watermark step per ping, as at live pace
        }
        // marks: more than 10 min, then more than 70 and 130 min; each reported at the ping that passes it
        assertThat(stays())
                .extracting(Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ms(T0), ms(plusMinutes(T0, 15))),
                        org.assertj.core.groups.Tuple.tuple(ms(T0), ms(plusMinutes(T0, 75))),
                        org.assertj.core.groups.Tuple.tuple(ms(T0), ms(plusMinutes(T0, 135))));

        advanceTo(plusMinutes(T0, 300)); // the gap ends it: the stay itself, under the same phone, start and person
        assertThat(stays()).last().satisfies(s -> {
            assertThat(s.from()).isEqualTo(ms(T0));
            assertThat(s.to()).isEqualTo(ms(plusMinutes(T0, 180)));
            assertThat(s.pings()).isEqualTo(37);
        });
        assertThat(operator.openStays()).isZero();
    }

    @Test
    void aStayThatEndsInTheStepThatPassedItsMarkIsReportedOnlyOnce() throws Exception {
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 25), 2, 1));
        advanceTo(plusMinutes(T0, 30));

        assertThat(stays())
                .extracting(Stay::cell, Stay::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cell:1:1", ms(plusMinutes(T0, 20))));
    }

    @Test
    void whenTheCarrierFeedGoesQuietEveryOpenStayIsReportedAsFarAsTheClock() throws Exception {
        h.close();
        h = harness(new PhoneStayBuilder(RULES, new PhoneSideSettings(1_000_000, 1, 1_000_000, 0)));
        h.open();
        send(bind(ALICE_PHONE, ALICE, BOUND), bind(BOB_PHONE, BOB, BOUND));
        for (int m = 0; m <= 40; m += 5) {
            send(ping(ALICE_PHONE, plusMinutes(T0, m), 1, 1), ping(BOB_PHONE, plusMinutes(T0, m), 1, 1));
        }
        send(ping(BOB_PHONE, plusMinutes(T0, 41), 1, 1)); // ahead of the clock: it waits for the next batch
        advanceTo(plusMinutes(T0, 40));
        assertThat(stays()).as("no progress marks").isEmpty();

        h.processWatermarkStatus1(WatermarkStatus.IDLE);
        assertThat(stays())
                .extracting(Stay::msisdn, Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ALICE_PHONE, ms(T0), ms(plusMinutes(T0, 40))),
                        org.assertj.core.groups.Tuple.tuple(BOB_PHONE, ms(T0), ms(plusMinutes(T0, 40))));
        h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        h.processWatermarkStatus1(WatermarkStatus.IDLE);
        assertThat(stays()).as("nothing grew since").hasSize(2);

        h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        advanceTo(plusMinutes(T0, 120)); // the next batch: the stays end
        assertThat(stays())
                .extracting(Stay::msisdn, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ALICE_PHONE, ms(plusMinutes(T0, 40))),
                        org.assertj.core.groups.Tuple.tuple(BOB_PHONE, ms(plusMinutes(T0, 40))),
                        org.assertj.core.groups.Tuple.tuple(ALICE_PHONE, ms(plusMinutes(T0, 40))),
                        org.assertj.core.groups.Tuple.tuple(BOB_PHONE, ms(plusMinutes(T0, 41))));
    }

    @Test
    void pingsWaitForTheBindingsOfTheirTimeWhenTheCarrierFeedIsAhead() throws Exception {
        send(ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 120)))); // the carrier feed is ahead ...
        h.processWatermark2(new Watermark(ms(BOUND) - 1));
        assertThat(operator.bufferedSignals()).isEqualTo(2); // ... so its pings wait
        send(bind(ALICE_PHONE, ALICE, BOUND)); // the binding of their time comes later, but in time
        h.processWatermark2(new Watermark(ms(plusMinutes(T0, 120))));

        assertThat(stays()).extracting(Stay::personId).containsExactly(ALICE);
    }

    @Test
    void idleBindingsDoNotHoldThePingsBack() throws Exception {
        send(bind(ALICE_PHONE, ALICE, BOUND));
        h.processWatermark2(new Watermark(ms(BOUND)));
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
        send(ping(ALICE_PHONE, T0, 1, 1), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 120))));

        assertThat(stays()).extracting(Stay::personId).containsExactly(ALICE);
    }

    @Test
    void onlyTheBindingsIdlenessReachesDownstream() throws Exception {
        h.processWatermarkStatus1(WatermarkStatus.IDLE);
        assertThat(h.getOutput()).isEmpty();
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
        assertThat(h.getOutput()).containsExactly(WatermarkStatus.IDLE);
    }

    @Test
    void aBindingAheadOfTheCarrierWatermarkTakesEffectAtItsOwnTime() throws Exception {
        Instant rebound = plusMinutes(T0, 15);
        send(bind(ALICE_PHONE, ALICE, BOUND), bind(ALICE_PHONE, BOB, rebound));
        h.processWatermark2(new Watermark(ms(plusMinutes(T0, 24 * 60)))); // bindings a day ahead of the pings
        send(
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1),
                ping(ALICE_PHONE, rebound, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 40), 1, 1));
        h.processWatermark1(new Watermark(ms(plusMinutes(T0, 300))));

        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 10))),
                        org.assertj.core.groups.Tuple.tuple(BOB, ms(rebound), ms(plusMinutes(T0, 40))));
    }

    @Test
    void aBindingBehindTheCarrierWatermarkEndsTheOpenStayOfAnotherPerson() throws Exception {
        send(
                bind(ALICE_PHONE, ALICE, BOUND),
                ping(ALICE_PHONE, T0, 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 10), 1, 1));
        advanceTo(plusMinutes(T0, 20));
        assertThat(stays()).isEmpty(); // still open

        send(
                bind(ALICE_PHONE, BOB, plusMinutes(T0, 15)),
                ping(ALICE_PHONE, plusMinutes(T0, 25), 1, 1),
                ping(ALICE_PHONE, plusMinutes(T0, 35), 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 10))),
                        org.assertj.core.groups.Tuple.tuple(BOB, ms(plusMinutes(T0, 25)), ms(plusMinutes(T0, 35))));
    }

    @Test
    void anOlderBindingArrivingLateDoesNotOverrideTheOneInForce() throws Exception {
        send(bind(ALICE_PHONE, ALICE, plusMinutes(T0, -60)), ping(ALICE_PHONE, T0, 1, 1));
        advanceTo(plusMinutes(T0, 5));
        send(bind(ALICE_PHONE, BOB, plusMinutes(T0, -120)), ping(ALICE_PHONE, plusMinutes(T0, 20), 1, 1));
        advanceTo(plusMinutes(T0, 300));

        assertThat(stays())
                .extracting(Stay::personId, Stay::from, Stay::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ALICE, ms(T0), ms(plusMinutes(T0, 20))));
    }

    @Test
    void aPhoneKeepsOnlyTheBindingsItCanStillNeed() {
        PhoneBinding first = new PhoneBinding(ALICE, 10L, "id:1");
        PhoneBinding second = new PhoneBinding(BOB, 20L, "id:2");
        PhoneBinding sameTimeLater = new PhoneBinding(ALICE, 20L, "id:3");
        PhoneState st = PhoneState.EMPTY.withBinding(second).withBinding(first).withBinding(first);
        assertThat(st.bindings()).containsExactly(first, second);
        assertThat(st.bindingAt(9L)).isNull();
        assertThat(st.bindingAt(19L)).isEqualTo(first);
        assertThat(st.withBinding(sameTimeLater).bindingAt(20L)).isEqualTo(sameTimeLater);
        assertThat(st.withoutBindingsBefore(19L).bindings()).containsExactly(first, second);
        assertThat(st.withoutBindingsBefore(25L).bindings()).containsExactly(second);
        PhoneState many = PhoneState.EMPTY;
        for (int i = 0; i < PhoneState.MAX_BINDINGS + 2; i++) {
            many = many.withBinding(new PhoneBinding(ALICE, 100L + i, "id:" + i));
        }
        assertThat(many.bindings())
                .hasSize(PhoneState.MAX_BINDINGS)
                .first()
                .extracting(PhoneBinding::since)
                .isEqualTo(102L);
    }

    private List<Long> watermarks() {
        return h.getOutput().stream()
                .filter(o -> o instanceof Watermark)
                .map(o -> ((Watermark) o).getTimestamp())
                .toList();
    }
}
