package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.ALICE_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.BOB_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.CAROL;
import static org.healthcode.risk.contacts.ContactFixtures.CAROL_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.HOME_CELL;
import static org.healthcode.risk.contacts.ContactFixtures.RULES;
import static org.healthcode.risk.contacts.ContactFixtures.caseStay;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.contacts.ContactFixtures.stay;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Companions in one cell: the 10 minute overlap, the 30 h clause, the look-back window, late and repeated stays. */
class CompanionDetectorTest {

    /** Alice (the case) is found on Friday; everything below happens in the week before. */
    private static final Instant FOUND = plusDays(MONDAY_9AM, 4);

    private static final Instant T0 = MONDAY_9AM;

    private KeyedOneInputStreamOperatorTestHarness<String, PersonActivity, Exposure> h;

    private void open(ContactRules rules) throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CompanionDetector(rules), PersonActivity::place, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private List<Exposure> run(ContactRules rules, PersonActivity... activities) throws Exception {
        open(rules);
        for (PersonActivity a : activities) {
            h.processElement(new StreamRecord<>(a, a.to()));
        }
        return h.extractOutputValues();
    }

    /** Alice's phone in the home cell from T0 for {@code minutes}, as a case stay (OFF: no long-stay clause). */
    private static PersonActivity aliceHome(Instant from, long minutes) {
        return caseStay(ALICE, ALICE_PHONE, HOME_CELL, from, plusMinutes(from, minutes), FOUND);
    }

    private static PersonActivity bobHome(Instant from, long minutes) {
        return stay(BOB, BOB_PHONE, HOME_CELL, from, plusMinutes(from, minutes));
    }

    private static final ContactRules OFF = RULES.withLongStayClause(LongStayClause.OFF);
    private static final ContactRules AND = RULES.withLongStayClause(LongStayClause.AND);
    private static final ContactRules OR = RULES.withLongStayClause(LongStayClause.OR);

    @Test
    void sharingTheCellForElevenMinutesMakesACompanion() throws Exception {
        List<Exposure> out = run(OFF, aliceHome(T0, 60), bobHome(plusMinutes(T0, 49), 30));

        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.personId()).isEqualTo(BOB);
            assertThat(e.caseId()).isEqualTo(ALICE);
            assertThat(e.kind()).isEqualTo(ExposureKind.COMPANION);
            assertThat(e.where()).isEqualTo(HOME_CELL);
            assertThat(e.start()).isEqualTo(ms(plusMinutes(T0, 49)));
            assertThat(e.end()).isEqualTo(ms(plusMinutes(T0, 60)));
            assertThat(e.overlapMinutes()).isEqualTo(11);
            assertThat(e.caseFound()).isEqualTo(ms(FOUND));
            assertThat(e.exposureId()).isEqualTo(Exposure.idFor(ALICE, BOB, ExposureKind.COMPANION, HOME_CELL));
            assertThat(e.causeEventIds())
                    .containsExactly("test+:alice", "ping:phone-alice@" + T0, "ping:phone-bob@" + plusMinutes(T0, 49));
        });
    }

    @Test
    void sharingTheCellForNineMinutesOrExactlyTenIsNoCompanion() throws Exception {
        assertThat(run(OFF, aliceHome(T0, 60), bobHome(plusMinutes(T0, 51), 30)))
                .isEmpty();
        h.close();
        assertThat(run(OFF, aliceHome(T0, 60), bobHome(plusMinutes(T0, 50), 30)))
                .isEmpty();
        h.close();
        // one second over ten minutes is enough
        PersonActivity bob = stay(BOB, BOB_PHONE, HOME_CELL, plusMinutes(T0, 50).minusSeconds(1), plusHours(T0, 2));
        assertThat(run(OFF, aliceHome(T0, 60), bob)).hasSize(1);
    }

    @Test
    void theCaseFoundAfterTheContactsStayArrivedFindsTheSameCompanion() throws Exception {
        List<Exposure> caseFirst = run(OFF, aliceHome(T0, 60), bobHome(plusMinutes(T0, 30), 60));
        h.close();
        List<Exposure> contactFirst = run(OFF, bobHome(plusMinutes(T0, 30), 60), aliceHome(T0, 60));

        assertThat(caseFirst).hasSize(1).isEqualTo(contactFirst);
    }

    @Test
    void aCopyOfTheCasesCellVisitFindsTheSameCompanionFromTheStaysTheCellKept() throws Exception {
        PersonActivity aliceStay = stay(ALICE, ALICE_PHONE, HOME_CELL, T0, plusMinutes(T0, 60));
        PersonActivity visit = aliceStay
                .asCellVisit()
                .asCaseCopy(
                        new CaseFound(ALICE, ms(FOUND), null, ms(FOUND), "test+:" + ALICE),
                        ms(FOUND) - RULES.lookBackMillis());
        List<Exposure> fromVisit = run(OFF, aliceStay, bobHome(plusMinutes(T0, 10), 60), visit);
        h.close();
        List<Exposure> fromStay = run(
                OFF,
                aliceStay,
                bobHome(plusMinutes(T0, 10), 60),
                caseStay(ALICE, ALICE_PHONE, HOME_CELL, T0, plusMinutes(T0, 60), FOUND));
        assertThat(fromVisit)
                .singleElement()
                .satisfies(x -> assertThat(x.personId()).isEqualTo(BOB));
        assertThat(fromVisit).isEqualTo(fromStay);
    }

    @Test
    void aRepeatedStayChangesNothingAndASecondSharedStayRevisesTheSameExposure() throws Exception {
        List<Exposure> once =
                run(OFF, aliceHome(T0, 60), bobHome(plusMinutes(T0, 30), 60), bobHome(plusMinutes(T0, 30), 60));
        assertThat(once).hasSize(1);
        h.close();
        List<Exposure> out = run(
                OFF,
                aliceHome(T0, 60),
                bobHome(plusMinutes(T0, 30), 60),
                bobHome(plusMinutes(T0, 30), 60),
                aliceHome(plusDays(T0, 1), 60),
                bobHome(plusDays(T0, 1), 60));
        assertThat(out)
                .extracting(Exposure::exposureId)
                .containsOnly(once.get(0).exposureId());
        assertThat(out).noneMatch(Exposure::withdrawn);
        // what stands covers both shared stays, whatever order they came in
        h.close();
        List<Exposure> reversed = run(
                OFF,
                aliceHome(plusDays(T0, 1), 60),
                bobHome(plusDays(T0, 1), 60),
                aliceHome(T0, 60),
                bobHome(plusMinutes(T0, 30), 60));
        assertThat(out.get(out.size() - 1)).isEqualTo(reversed.get(reversed.size() - 1));
        assertThat(out.get(out.size() - 1).overlapMinutes()).isEqualTo(90);
    }

    @Test
    void theCaseIsNeverItsOwnCompanionAndOtherCellsDoNotCount() throws Exception {
        PersonActivity alicePlain = stay(ALICE, ALICE_PHONE, HOME_CELL, T0, plusMinutes(T0, 60));
        PersonActivity bobElsewhere = stay(BOB, BOB_PHONE, ContactFixtures.NEXT_CELL, T0, plusMinutes(T0, 60));
        assertThat(run(OFF, alicePlain, aliceHome(T0, 60), bobElsewhere)).isEmpty();
    }

    @Test
    void onlyTheOverlapInsideTheFourteenDaysBeforeFoundCounts() throws Exception {
        Instant windowStart = FOUND.minusMillis(RULES.lookBackMillis());
        // 20 min shared, but only 5 of them inside the window
        PersonActivity alice = caseStay(
                ALICE, ALICE_PHONE, HOME_CELL, plusMinutes(windowStart, -15), plusMinutes(windowStart, 5), FOUND);
        PersonActivity bob =
                stay(BOB, BOB_PHONE, HOME_CELL, plusMinutes(windowStart, -15), plusMinutes(windowStart, 5));
        assertThat(run(OFF, alice, bob)).isEmpty();
        h.close();
        // after the case was found nothing counts
        PersonActivity aliceAfter =
                caseStay(ALICE, ALICE_PHONE, HOME_CELL, plusMinutes(FOUND, -5), plusMinutes(FOUND, 60), FOUND);
        PersonActivity bobAfter = stay(BOB, BOB_PHONE, HOME_CELL, plusMinutes(FOUND, -5), plusMinutes(FOUND, 60));
        assertThat(run(OFF, aliceAfter, bobAfter)).isEmpty();
    }

    @Test
    void underAndTwentySharedMinutesAreNotEnoughWithoutAThirtyHourStay() throws Exception {
        assertThat(run(AND, aliceHome(T0, 60), bobHome(T0, 20))).isEmpty();
    }

    @Test
    void underAndTheCasePhonesThirtyOneHoursInTheCellMakeTwentySharedMinutesACompanion() throws Exception {
        PersonActivity aliceLong = aliceHome(plusDays(T0, -3), 31 * 60);
        assertThat(run(AND, aliceLong, aliceHome(T0, 60), bobHome(T0, 20))).hasSize(1);
    }

    @Test
    void underAndTheContactPhonesThirtyOneHoursCountAsWellArrivingLater() throws Exception {
        // Bob's long stay arrives last: the earlier 20 shared minutes now qualify
        PersonActivity bobLong = bobHome(plusDays(T0, -3), 31 * 60);
        assertThat(run(AND, aliceHome(T0, 60), bobHome(T0, 20), bobLong)).hasSize(1);
    }

    @Test
    void underAndTheContactPhonesThirtyOneHoursBeforeTheCaseArrivedCountForItsLaterStay() throws Exception {
        // Bob's long stay arrives while the cell has no case (kept by stay only); his 20 shared minutes come after
        // the case, so the cell's stays by phone, built when the case arrives, must hold the long stay
        PersonActivity bobLong = bobHome(plusDays(T0, -3), 31 * 60);
        assertThat(run(AND, bobLong, aliceHome(T0, 60), bobHome(T0, 20))).hasSize(1);
    }

    @Test
    void underAndExactlyThirtyHoursIsNotMoreThanThirty() throws Exception {
        PersonActivity aliceThirty = aliceHome(plusDays(T0, -3), 30 * 60 - 60);
        assertThat(run(AND, aliceThirty, aliceHome(T0, 60), bobHome(T0, 20))).isEmpty();
    }

    @Test
    void underOrFiveSharedMinutesCountWhenEitherPhoneStayedThirtyOneHours() throws Exception {
        PersonActivity bobLong = bobHome(plusDays(T0, -3), 31 * 60);
        assertThat(run(OR, aliceHome(T0, 60), bobHome(T0, 5), bobLong)).hasSize(1);
        h.close();
        assertThat(run(OFF, aliceHome(T0, 60), bobHome(T0, 5), bobLong)).isEmpty();
        h.close();
        assertThat(run(AND, aliceHome(T0, 60), bobHome(T0, 5), bobLong)).isEmpty();
    }

    @Test
    void underOrALongStayWithoutBeingThereAtTheSameTimeIsNoCompanion() throws Exception {
        PersonActivity bobLong = bobHome(plusDays(T0, -3), 31 * 60);
        assertThat(run(OR, aliceHome(T0, 60), bobLong)).isEmpty();
    }

    @Test
    void underOrTwentySharedMinutesAreEnoughWithoutALongStay() throws Exception {
        assertThat(run(OR, aliceHome(T0, 60), bobHome(T0, 20))).hasSize(1);
    }

    @Test
    void everyoneSharingTheCellWithTheCaseIsFoundOncePerPerson() throws Exception {
        PersonActivity carol = stay(CAROL, CAROL_PHONE, HOME_CELL, plusMinutes(T0, 5), plusMinutes(T0, 40));
        assertThat(run(OFF, bobHome(T0, 30), carol, aliceHome(T0, 60)))
                .extracting(Exposure::personId)
                .containsExactlyInAnyOrder(BOB, CAROL);
    }

    @Test
    void stateAndTimersAreGoneOnceTheLookBackWindowHasPassed() throws Exception {
        run(OFF, aliceHome(T0, 60), bobHome(T0, 30), bobHome(plusDays(T0, 2), 30));
        assertThat(h.numKeyedStateEntries()).isEqualTo(4); // stays, stays by phone, cases, reported of the one cell
        assertThat(h.numEventTimeTimers()).isPositive();

        h.processWatermark(ms(plusDays(T0, 2)) + RULES.lookBackMillis() - 1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(4); // Bob's later stay and the case are still inside

        h.processWatermark(ms(FOUND) + RULES.lookBackMillis() + CompanionDetector.CLEANUP_GRANULARITY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aStayArrivingAfterTheWindowHasPassedIsMatchedButNotKept() throws Exception {
        run(OFF, aliceHome(T0, 60));
        h.processWatermark(ms(plusDays(T0, 1)) + RULES.lookBackMillis());
        h.processElement(new StreamRecord<>(bobHome(T0, 30), ms(T0)));
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processWatermark(ms(FOUND) + RULES.lookBackMillis() + CompanionDetector.CLEANUP_GRANULARITY);
        assertThat(h.numKeyedStateEntries()).isZero();
    }
}
