package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.closeContact;
import static org.healthcode.risk.testing.Fixtures.confirmed;
import static org.healthcode.risk.testing.Fixtures.diagnosis;
import static org.healthcode.risk.testing.Fixtures.discharged;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-person risk operator in a harness: the rule rows of DESIGN §3, event-time order, state hygiene. */
class PersonRiskFunctionTest {
    private static final long MS = 1;
    private PersonRiskHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new PersonRiskHarness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static Instant justBefore(Instant t) {
        return t.minusMillis(MS);
    }

    // --- close contact (degree 1) ---

    @Test
    void closeContactIsRedSevenDaysFromExposureThenYellowThreeDaysThenGreenAfterANegativeTest() throws Exception {
        Instant exposure = MONDAY_9AM;
        Instant designated = plusDays(exposure, 1);
        h.send(closeContact(ALICE, exposure, designated), negativePcr(ALICE, plusDays(exposure, 8)))
                .advanceTo(plusDays(exposure, 20));

        assertThat(h.colourAt(ALICE, justBefore(designated))).isEqualTo("green");
        assertThat(h.colourAt(ALICE, designated)).isEqualTo("red");
        assertThat(h.colourAt(ALICE, justBefore(plusDays(exposure, 7)))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, plusDays(exposure, 7))).isEqualTo("yellow");
        assertThat(h.colourAt(ALICE, justBefore(plusDays(exposure, 10)))).isEqualTo("yellow");
        assertThat(h.colourAt(ALICE, plusDays(exposure, 10))).isEqualTo("green");
        assertThat(h.statusesOf(ALICE)).extracting(StatusChange::seq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void closeContactStaysYellowAfterItsPhasesUntilANegativeTest() throws Exception {
        Instant exposure = MONDAY_9AM;
        h.send(closeContact(ALICE, exposure, plusHours(exposure, 6))).advanceTo(plusDays(exposure, 30));
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");
        assertThat(h.latest(ALICE).conditions())
                .singleElement()
                .satisfies(c -> assertThat(c.phaseEndMs()).isZero());

        h.send(negativePcr(ALICE, plusDays(exposure, 31))).advanceTo(plusDays(exposure, 32));
        assertThat(h.colourAt(ALICE, plusDays(exposure, 31))).isEqualTo("green");
    }

    @Test
    void closeContactIgnoresANegativeTestSampledBeforeTheDesignation() throws Exception {
        Instant exposure = MONDAY_9AM;
        h.send(negativePcr(ALICE, plusHours(exposure, 12)), closeContact(ALICE, exposure, plusDays(exposure, 1)))
                .advanceTo(plusDays(exposure, 15));
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");
    }

    @Test
    void aLaterExposureRenewsTheCloseContactAndExtendsTheRedPhase() throws Exception {
        h.send(
                        closeContact(ALICE, MONDAY_9AM, plusHours(MONDAY_9AM, 2)),
                        closeContact(ALICE, plusDays(MONDAY_9AM, 3), plusDays(MONDAY_9AM, 4)))
                .advanceTo(plusDays(MONDAY_9AM, 20));
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 9))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 10))).isEqualTo("yellow");
        assertThat(h.statusesOf(ALICE).get(1).conditions().get(0).cause()).hasSize(2);
    }

    // --- positive single-tube test ---

    @Test
    void positiveTestIsRedUntilTwoNegativeTestsAtLeastADayApart() throws Exception {
        h.send(
                        positivePcr(ALICE, MONDAY_9AM),
                        negativePcr(ALICE, plusDays(MONDAY_9AM, 2)),
                        negativePcr(ALICE, plusHours(plusDays(MONDAY_9AM, 2), 23)))
                .advanceTo(plusDays(MONDAY_9AM, 3));
        assertThat(h.latest(ALICE).colour()).isEqualTo("red");

        Instant third = plusHours(plusDays(MONDAY_9AM, 3), 1);
        h.send(negativePcr(ALICE, third)).advanceTo(plusDays(MONDAY_9AM, 5));
        assertThat(h.colourAt(ALICE, justBefore(third))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, third)).isEqualTo("green");
    }

    @Test
    void negativeTestsSampledBeforeThePositiveDoNotEndIt() throws Exception {
        h.send(
                        negativePcr(ALICE, plusDays(MONDAY_9AM, -3)),
                        negativePcr(ALICE, plusDays(MONDAY_9AM, -1)),
                        positivePcr(ALICE, MONDAY_9AM))
                .advanceTo(plusDays(MONDAY_9AM, 10));
        assertThat(h.latest(ALICE).colour()).isEqualTo("red");
    }

    @Test
    void aConfirmedDiagnosisTakesOverFromThePositiveTest() throws Exception {
        Event positive = positivePcr(ALICE, MONDAY_9AM);
        Event confirmed = confirmed(ALICE, plusDays(MONDAY_9AM, 1));
        h.send(positive, confirmed).advanceTo(plusDays(MONDAY_9AM, 2));
        StatusChange s = h.latest(ALICE);
        assertThat(s.colour()).isEqualTo("red");
        assertThat(s.conditions()).extracting(ConditionView::reason).containsExactly("confirmed");
        assertThat(s.conditions().get(0).cause()).containsExactly(confirmed.eventId());
        assertThat(s.conditions().get(0).endsWith()).startsWith("a discharged diagnosis");
        assertThat(s.sinceMs()).isEqualTo(MONDAY_9AM.toEpochMilli());
    }

    @Test
    void aClearedDiagnosisEndsThePositiveTest() throws Exception {
        h.send(positivePcr(ALICE, MONDAY_9AM), diagnosis(ALICE, DiagnosisStatus.CLEARED, plusHours(MONDAY_9AM, 30)))
                .advanceTo(plusDays(MONDAY_9AM, 2));
        assertThat(h.colourAt(ALICE, plusHours(MONDAY_9AM, 30))).isEqualTo("green");
    }

    // --- confirmed / asymptomatic with discharge ---

    @Test
    void confirmedIsRedUntilDischargeThenRedFourteenDaysYellowFourteenDaysThenGreenAfterANegativeTest()
            throws Exception {
        Instant discharge = plusDays(MONDAY_9AM, 20);
        h.send(confirmed(ALICE, MONDAY_9AM), discharged(ALICE, discharge), negativePcr(ALICE, plusDays(discharge, 1)))
                .advanceTo(plusDays(discharge, 40));
        assertThat(h.colourAt(ALICE, MONDAY_9AM)).isEqualTo("red");
        assertThat(h.colourAt(ALICE, justBefore(plusDays(discharge, 14)))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, plusDays(discharge, 14))).isEqualTo("yellow");
        assertThat(h.colourAt(ALICE, justBefore(plusDays(discharge, 28)))).isEqualTo("yellow");
        assertThat(h.colourAt(ALICE, plusDays(discharge, 28))).isEqualTo("green");
    }

    @Test
    void asymptomaticStaysYellowAfterItsPhasesWhenTheOnlyNegativeTestPrecedesTheDischarge() throws Exception {
        Instant discharge = plusDays(MONDAY_9AM, 20);
        h.send(
                        diagnosis(ALICE, DiagnosisStatus.ASYMPTOMATIC, MONDAY_9AM),
                        negativePcr(ALICE, plusDays(MONDAY_9AM, 19)),
                        discharged(ALICE, discharge))
                .advanceTo(plusDays(discharge, 60));
        StatusChange s = h.latest(ALICE);
        assertThat(s.colour()).isEqualTo("yellow");
        assertThat(s.conditions()).extracting(ConditionView::reason).containsExactly("asymptomatic");

        h.send(negativePcr(ALICE, plusDays(discharge, 61))).advanceTo(plusDays(discharge, 62));
        assertThat(h.latest(ALICE).colour()).isEqualTo("green");
    }

    @Test
    void confirmedWithoutDischargeStaysRed() throws Exception {
        h.send(confirmed(ALICE, MONDAY_9AM), negativePcr(ALICE, plusDays(MONDAY_9AM, 5)))
                .advanceTo(plusDays(MONDAY_9AM, 100));
        assertThat(h.latest(ALICE).colour()).isEqualTo("red");
        assertThat(h.timers()).isZero();
    }

    // --- fever clinic ---

    @Test
    void feverClinicVisitIsYellowUntilANegativeTestSampledAfterIt() throws Exception {
        h.send(negativePcr(ALICE, plusHours(MONDAY_9AM, -2)), feverClinicVisit(ALICE, MONDAY_9AM))
                .advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");
        h.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 2))).advanceTo(plusDays(MONDAY_9AM, 3));
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 2))).isEqualTo("green");
    }

    // --- the status as a whole ---

    @Test
    void colourIsTheMostSevereActiveConditionAndStatusesCarryTheirConditions() throws Exception {
        Event fever = feverClinicVisit(ALICE, MONDAY_9AM);
        Event contact = closeContact(ALICE, plusDays(MONDAY_9AM, 1), plusDays(MONDAY_9AM, 1));
        h.send(fever, contact).advanceTo(plusDays(MONDAY_9AM, 2));

        StatusChange s = h.latest(ALICE);
        assertThat(s.colour()).isEqualTo("red");
        assertThat(s.seq()).isEqualTo(2);
        assertThat(s.ruleVersion()).isEqualTo("2022.1-default");
        assertThat(s.effectiveMs()).isEqualTo(contact.time());
        assertThat(s.sinceMs()).isEqualTo(contact.time());
        assertThat(s.conditions()).extracting(ConditionView::reason).containsExactly("close_contact", "fever_clinic");
        ConditionView cc = s.conditions().get(0);
        assertThat(cc.cause()).containsExactly(contact.eventId());
        assertThat(cc.startMs()).isEqualTo(contact.time());
        assertThat(cc.phaseEndMs()).isEqualTo(plusDays(MONDAY_9AM, 8).toEpochMilli());
        assertThat(cc.endsWith()).contains("a negative test sampled after");
    }

    @Test
    void nothingIsEmittedWhenNothingChanges() throws Exception {
        h.send(
                        feverClinicVisit(ALICE, MONDAY_9AM),
                        feverClinicVisit(BOB, MONDAY_9AM),
                        positivePcr(BOB, plusHours(MONDAY_9AM, 1)))
                .advanceTo(plusDays(MONDAY_9AM, 3));
        assertThat(h.statusesOf(ALICE)).hasSize(1);
        h.send(negativePcr(BOB, plusDays(MONDAY_9AM, 4))).advanceTo(plusDays(MONDAY_9AM, 4));
        // the negative test ends the fever-clinic condition under the red positive test: the colour stays red
        // but the conditions changed, so one more status
        assertThat(h.statusesOf(BOB)).extracting(StatusChange::colour).containsExactly("yellow", "red", "red");
        assertThat(h.statusesOf(BOB).get(2).sinceMs())
                .isEqualTo(plusHours(MONDAY_9AM, 1).toEpochMilli());
    }

    @Test
    void resultsDependOnEventTimeNotOnArrivalOrder() throws Exception {
        List<Event> events = List.of(
                positivePcr(ALICE, MONDAY_9AM),
                confirmed(ALICE, plusDays(MONDAY_9AM, 1)),
                discharged(ALICE, plusDays(MONDAY_9AM, 15)),
                negativePcr(ALICE, plusDays(MONDAY_9AM, 16)),
                feverClinicVisit(BOB, MONDAY_9AM),
                closeContact(BOB, plusDays(MONDAY_9AM, 2), plusDays(MONDAY_9AM, 3)),
                negativePcr(BOB, plusDays(MONDAY_9AM, 4)),
                negativePcr(BOB, plusDays(MONDAY_9AM, 20)));
        List<StatusChange> inOrder = run(events);
        List<Event> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(7));
        Collections.reverse(shuffled);
        assertThat(run(shuffled)).isEqualTo(inOrder);
        assertThat(inOrder).hasSizeGreaterThan(5);
    }

    private static List<StatusChange> run(List<Event> events) throws Exception {
        try (PersonRiskHarness x = new PersonRiskHarness()) {
            for (Event e : events) {
                x.send(e);
            }
            x.advanceTo(plusDays(MONDAY_9AM, 60));
            return x.statuses().stream()
                    .sorted(java.util.Comparator.comparing(StatusChange::personId)
                            .thenComparingLong(StatusChange::seq))
                    .toList();
        }
    }

    @Test
    void anEventBehindTheWatermarkIsAppliedAtOnceWithItsOwnTime() throws Exception {
        h.send(feverClinicVisit(ALICE, MONDAY_9AM)).advanceTo(plusDays(MONDAY_9AM, 5));
        h.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 1)));
        StatusChange s = h.latest(ALICE);
        assertThat(s.colour()).isEqualTo("green");
        assertThat(s.effectiveMs()).isEqualTo(plusDays(MONDAY_9AM, 5).toEpochMilli());
    }

    // --- state hygiene ---

    @Test
    void stateShrinksToTheSequenceAndTimersAreGoneWhenConditionsEnd() throws Exception {
        h.send(
                closeContact(ALICE, MONDAY_9AM, MONDAY_9AM),
                negativePcr(ALICE, plusDays(MONDAY_9AM, 8)),
                positivePcr(BOB, MONDAY_9AM),
                negativePcr(BOB, plusDays(MONDAY_9AM, 1)),
                negativePcr(BOB, plusDays(MONDAY_9AM, 2)));
        assertThat(h.timers()).isPositive();
        // the person's history is kept until the allowed lateness (48 h) has passed its last input and condition
        h.advanceTo(plusDays(MONDAY_9AM, 14));
        assertThat(h.latest(ALICE).colour()).isEqualTo("green");
        assertThat(h.latest(BOB).colour()).isEqualTo("green");
        assertThat(h.timers()).isZero();
        // one entry per person: the status sequence number the status topic's readers rely on
        assertThat(h.stateEntries()).isEqualTo(2);
    }

    @Test
    void aPersonWithoutConditionsLeavesNoStateAndNoTimers() throws Exception {
        h.send(negativePcr(ALICE, MONDAY_9AM), negativePcr(ALICE, plusDays(MONDAY_9AM, 1)));
        assertThat(h.stateEntries()).isPositive();
        h.advanceTo(plusDays(MONDAY_9AM, 4)); // the inputs stay in the person's history for the allowed lateness (48 h)
        assertThat(h.statuses()).isEmpty();
        assertThat(h.stateEntries()).isZero();
        assertThat(h.timers()).isZero();
    }

    // --- inputs that change nothing ---

    private static Event scan(String person, Instant at, String id) {
        return Event.builder(id, org.healthcode.ingest.events.EventType.SCAN, at.toEpochMilli(), "440100")
                .personId(person)
                .venueId("venue-1")
                .areaCode("440100")
                .direction("in")
                .build();
    }

    @Test
    void scansOfAPersonWithNothingToShowWaitForNothing() throws Exception {
        h.send(scan(BOB, MONDAY_9AM, "s1"), scan(BOB, plusHours(MONDAY_9AM, 1), "s2"));
        // applied they would change nothing: no pending entry, no timer (each was both before)
        assertThat(h.stateEntries()).isZero();
        assertThat(h.timers()).isZero();
        h.advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.statuses()).isEmpty();
    }

    @Test
    void scansAreKeptForAPersonWithAConditionOrWithInputsPending() throws Exception {
        h.send(positivePcr(ALICE, MONDAY_9AM), scan(ALICE, plusHours(MONDAY_9AM, 1), "s1"));
        assertThat(h.timers()).isEqualTo(2); // the test's and the scan's: the scan waits behind the pending test
        h.advanceTo(plusHours(MONDAY_9AM, 2));
        assertThat(h.colourAt(ALICE, plusHours(MONDAY_9AM, 2))).isEqualTo("red");
        int timers = h.timers();
        h.send(scan(ALICE, plusHours(MONDAY_9AM, 3), "s2"));
        assertThat(h.timers()).isEqualTo(timers + 1); // a person with a status: kept
    }
}
