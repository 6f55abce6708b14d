package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.ALICE_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.BOB_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.RULES;
import static org.healthcode.risk.contacts.ContactFixtures.bind;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.contacts.ContactFixtures.pingsInCell;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.contacts.ContactFixtures.scan;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A phone's and its person's state across the keyed operators that hold it, chained as the job chains them (phone
 * side -> person index -> cell; the person's own events to person risk): once the watermark has passed every window a
 * rule reads (the gap that ends a stay, the 14-day look-back, the allowed lateness, the conditions' phases) nothing is
 * left but what a rule still reads: the phone's identity binding (its next ping is attributed with it) and the
 * person's status sequence number (readers of the status topic order a person's statuses by it).
 */
class StateHygieneTest {

    private static final Instant T0 = MONDAY_9AM;
    private static final Instant BOUND = T0.minusSeconds(86_400);

    private PhoneStayBuilder phoneSide;
    private KeyedTwoInputStreamOperatorTestHarness<String, PhoneSignal, PhoneSignal, Stay> phones;
    private KeyedTwoInputStreamOperatorTestHarness<String, Stay, Event, PersonActivity> persons;
    private KeyedOneInputStreamOperatorTestHarness<String, PersonActivity, Exposure> cells;
    private PersonRiskHarness risk;
    private long checkpointId;

    @BeforeEach
    void open() throws Exception {
        phoneSide = new PhoneStayBuilder(
                RULES, PhoneSideSettings.DEFAULTS.phoneCache(), 0, PhoneSideSettings.DEFAULTS.pingsInHeap());
        phones = new KeyedTwoInputStreamOperatorTestHarness<>(
                phoneSide, PhoneSignal::msisdn, PhoneSignal::msisdn, Types.STRING);
        phones.open();
        persons = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new PersonContactIndex(RULES), Stay::personId, Event::personId, Types.STRING);
        cells = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CompanionDetector(RULES.withLongStayClause(LongStayClause.OFF)),
                PersonActivity::place,
                Types.STRING);
        risk = new PersonRiskHarness();
    }

    @AfterEach
    void close() throws Exception {
        phones.close();
        persons.close();
        cells.close();
        risk.close();
    }

    /** Carrier and police events to the phone side; the person's other events to the person index and risk. */
    private void send(List<Event> events) throws Exception {
        for (Event e : events) {
            PhoneSignal s = PhoneSignal.of(e, ContactFixtures.GRID);
            if (s != null && s.binding()) {
                phones.processElement2(new StreamRecord<>(s, e.time()));
            } else if (s != null) {
                phones.processElement1(new StreamRecord<>(s, e.time()));
            } else {
                persons.processElement2(new StreamRecord<>(e, e.time()));
                risk.send(e);
            }
        }
    }

    /** Moves every operator's watermark to {@code t}, passing what each emits on to the next. */
    private void advanceTo(Instant t) throws Exception {
        long w = ms(t);
        phones.processWatermark1(new Watermark(w));
        phones.processWatermark2(new Watermark(w));
        phones.prepareSnapshotPreBarrier(++checkpointId); // the phone cache writes its phones back here
        phones.snapshot(checkpointId, checkpointId);
        for (Stay s : drain(phones.extractOutputValues(), phones)) {
            persons.processElement1(new StreamRecord<>(s, s.to()));
        }
        persons.processWatermark1(new Watermark(w));
        persons.processWatermark2(new Watermark(w));
        for (PersonActivity a : drain(persons.extractOutputValues(), persons)) {
            cells.processElement(new StreamRecord<>(a, a.to()));
        }
        cells.processWatermark(new Watermark(w));
        risk.advanceTo(t);
    }

    private static <T> List<T> drain(
            List<T> out, org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?> h) {
        List<T> copy = new ArrayList<>(out);
        h.getOutput().clear();
        return copy;
    }

    @Test
    void aPhoneKeepsOnlyItsBindingAndAPersonOnlyItsSequenceOnceNoRuleCanReadTheRest() throws Exception {
        List<Event> life = new ArrayList<>();
        life.add(bind(ALICE_PHONE, ALICE, BOUND));
        life.add(bind(BOB_PHONE, BOB, BOUND));
        // Alice and Bob in one cell for two hours, Bob at a venue after; Alice a case the next day (the cell without
        // the long-stay clause, so two hours make a companion)
        life.addAll(pingsInCell(ALICE_PHONE, T0, plusMinutes(T0, 120), 10, 1, 1));
        life.addAll(pingsInCell(BOB_PHONE, T0, plusMinutes(T0, 120), 10, 1, 1));
        life.add(scan(BOB, "venue-1", plusMinutes(T0, 200)));
        life.sort(java.util.Comparator.comparingLong(Event::time));
        send(life);
        advanceTo(plusDays(T0, 1));
        send(List.of(positivePcr(ALICE, plusDays(T0, 1))));
        advanceTo(plusDays(T0, 2));

        assertThat(cells.extractOutputValues())
                .as("Bob is Alice's companion: the state below was in use")
                .anySatisfy(x -> assertThat(x.personId()).isEqualTo(BOB));
        assertThat(persons.numKeyedStateEntries()).isPositive();
        assertThat(cells.numKeyedStateEntries()).isPositive();

        send(List.of(negativePcr(ALICE, plusDays(T0, 3)), negativePcr(ALICE, plusDays(T0, 4))));
        // past the 14-day look-back of the case's found time and of the last stay, plus the cleanup rounding
        advanceTo(plusDays(T0, 17));

        assertThat(phones.numKeyedStateEntries())
                .as("phone side: one binding per phone")
                .isEqualTo(2);
        assertThat(phoneSide.openStays()).isZero();
        assertThat(phoneSide.bufferedSignals()).isZero();
        assertThat(phones.numEventTimeTimers()).isZero();
        assertThat(persons.numKeyedStateEntries()).as("person index").isZero();
        assertThat(persons.numEventTimeTimers()).isZero();
        assertThat(cells.numKeyedStateEntries()).as("cell").isZero();
        assertThat(cells.numEventTimeTimers()).isZero();
        // Alice was red, then green: her sequence number stays; Bob never had a status and leaves nothing
        assertThat(risk.stateEntries()).as("person risk").isEqualTo(1);
        assertThat(risk.timers()).isZero();
    }
}
