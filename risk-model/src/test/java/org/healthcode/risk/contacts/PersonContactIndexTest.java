package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.ALICE_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.HOME_CELL;
import static org.healthcode.risk.contacts.ContactFixtures.NEXT_CELL;
import static org.healthcode.risk.contacts.ContactFixtures.RULES;
import static org.healthcode.risk.contacts.ContactFixtures.flight;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.contacts.ContactFixtures.scan;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.confirmed;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The person side routes every activity, and a case's activities inside its windows, whichever comes first. */
class PersonContactIndexTest {

    private static final Instant FOUND = plusDays(MONDAY_9AM, 4);

    private KeyedTwoInputStreamOperatorTestHarness<String, Stay, Event, PersonActivity> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new PersonContactIndex(RULES), Stay::personId, Event::personId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static Stay aliceStay(Instant from, Instant to) {
        return new Stay(ALICE_PHONE, ALICE, HOME_CELL, ms(from), ms(to), "p1", "p2", 2);
    }

    private void send(Stay s) throws Exception {
        h.processElement1(new StreamRecord<>(s, s.to()));
    }

    private void send(Event e) throws Exception {
        h.processElement2(new StreamRecord<>(e, e.time()));
    }

    private List<PersonActivity> caseCopies() {
        return h.extractOutputValues().stream()
                .filter(PersonActivity::isCaseCopy)
                .toList();
    }

    @Test
    void everyStayIsForwardedAndNoneIsACaseCopyWhileThePersonIsNoCase() throws Exception {
        send(aliceStay(MONDAY_9AM, plusHours(MONDAY_9AM, 1)));
        assertThat(h.extractOutputValues()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(ActivityKind.STAY);
            assertThat(a.place()).isEqualTo(HOME_CELL);
            assertThat(a.isCaseCopy()).isFalse();
        });
    }

    private static Stay aliceStay(String cell, Instant from, Instant to) {
        return new Stay(ALICE_PHONE, ALICE, cell, ms(from), ms(to), "p1", "p2", 2);
    }

    @Test
    void aCaseFoundLaterSendsACopyOfEachCellVisitedInTheFourteenDaysBeforeFound() throws Exception {
        Instant windowStart = FOUND.minusMillis(RULES.lookBackMillis());
        String before = GridProjection.cellId(12, 20);
        String after = GridProjection.cellId(13, 20);
        send(aliceStay(before, plusHours(windowStart, -3), plusHours(windowStart, -1))); // ends before the window
        send(aliceStay(HOME_CELL, plusHours(windowStart, -1), plusHours(windowStart, 1))); // straddles its start
        send(aliceStay(HOME_CELL, MONDAY_9AM, plusHours(MONDAY_9AM, 1)));
        send(aliceStay(NEXT_CELL, MONDAY_9AM, plusHours(MONDAY_9AM, 2)));
        send(aliceStay(after, plusHours(FOUND, 1), plusHours(FOUND, 2))); // after found
        assertThat(h.numKeyedStateEntries()).isEqualTo(2); // the visits (one map) and the time of the cleanup timer
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        send(positivePcr(ALICE, FOUND));

        // the cells take the case's stays from their own: a copy names the cell and the span of the visits there
        assertThat(caseCopies())
                .extracting(PersonActivity::place, PersonActivity::from, PersonActivity::to)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                HOME_CELL, ms(plusHours(windowStart, -1)), ms(plusHours(MONDAY_9AM, 1))),
                        org.assertj.core.groups.Tuple.tuple(NEXT_CELL, ms(MONDAY_9AM), ms(plusHours(MONDAY_9AM, 2))));
        assertThat(caseCopies()).allSatisfy(a -> {
            assertThat(a.isCellVisit()).isTrue();
            assertThat(a.caseFound()).isEqualTo(ms(FOUND));
            assertThat(a.caseWindowStart()).isEqualTo(ms(windowStart));
        });
    }

    @Test
    void aStayArrivingAfterTheCaseWasFoundIsSentAsACaseCopyToo() throws Exception {
        send(confirmed(ALICE, FOUND));
        send(aliceStay(MONDAY_9AM, plusHours(MONDAY_9AM, 1)));
        assertThat(caseCopies()).hasSize(1);
        assertThat(h.extractOutputValues()).hasSize(2);
    }

    @Test
    void scansAndTripsCountFromFourDaysBeforeTheFirstPositiveSample() throws Exception {
        Instant from = FOUND.minusMillis(RULES.infectiousLeadMillis());
        send(scan(ALICE, "mall-1", plusMinutes(from, -1)));
        send(scan(ALICE, "mall-1", from));
        send(flight(ALICE, 12, plusHours(FOUND, -3), plusHours(FOUND, -1)));
        send(positivePcr(ALICE, FOUND));

        assertThat(caseCopies())
                .extracting(PersonActivity::kind, PersonActivity::from)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ActivityKind.SCAN, ms(from)),
                        org.assertj.core.groups.Tuple.tuple(ActivityKind.TRIP, ms(plusHours(FOUND, -3))));
    }

    @Test
    void anEarlierOnsetWidensTheScanWindowAndResendsTheCase() throws Exception {
        Instant onset = plusDays(FOUND, -3);
        Instant earlyScan = plusDays(FOUND, -6);
        send(scan(ALICE, "mall-1", earlyScan));
        send(positivePcr(ALICE, FOUND));
        assertThat(caseCopies()).isEmpty();

        send(confirmed(ALICE, plusDays(FOUND, 1)).toBuilder().onset(ms(onset)).build());
        assertThat(caseCopies())
                .singleElement()
                .satisfies(a -> assertThat(a.from()).isEqualTo(ms(earlyScan)));
    }

    @Test
    void stateAndTimersAreGoneOnceTheLookBackWindowHasPassed() throws Exception {
        send(aliceStay(MONDAY_9AM, plusHours(MONDAY_9AM, 1)));
        send(scan(ALICE, "mall-1", MONDAY_9AM));
        send(aliceStay(plusDays(MONDAY_9AM, 1), plusHours(plusDays(MONDAY_9AM, 1), 1)));
        send(positivePcr(ALICE, FOUND));
        assertThat(h.numKeyedStateEntries()).isEqualTo(3); // activities, case, the time of the cleanup timer
        assertThat(h.numEventTimeTimers()).isEqualTo(1); // one per person, at the earliest end of life

        // the first stay's end of life: the scan goes, the later stay stays, the timer moves to its end of life
        h.processBothWatermarks(
                new Watermark(PersonContactIndex.roundUp(ms(plusHours(MONDAY_9AM, 1)) + RULES.lookBackMillis())));
        assertThat(h.numKeyedStateEntries()).isEqualTo(3);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processBothWatermarks(
                new Watermark(ms(FOUND) + RULES.lookBackMillis() + PersonContactIndex.CLEANUP_GRANULARITY));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
