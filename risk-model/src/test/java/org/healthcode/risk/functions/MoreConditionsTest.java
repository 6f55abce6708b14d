package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.borderEntry;
import static org.healthcode.risk.testing.Fixtures.companion;
import static org.healthcode.risk.testing.Fixtures.designation;
import static org.healthcode.risk.testing.Fixtures.diagnosis;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePooled;
import static org.healthcode.risk.testing.Fixtures.sameFlightNearRow;
import static org.healthcode.risk.testing.Fixtures.suspected;
import static org.healthcode.risk.testing.Fixtures.test;

import java.time.Instant;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rule rows driven by events and hand-made exposures: suspected, pooled, degree 2, inbound, companion, vehicle. */
class MoreConditionsTest {
    private PersonRiskHarness h;

    @BeforeEach
    void open() throws Exception {
        h = new PersonRiskHarness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void suspectedIsRedUntilCleared() throws Exception {
        Instant cleared = plusDays(MONDAY_9AM, 2);
        h.send(suspected(ALICE, MONDAY_9AM), diagnosis(ALICE, DiagnosisStatus.CLEARED, cleared))
                .advanceTo(plusDays(MONDAY_9AM, 3));
        assertThat(h.colourAt(ALICE, MONDAY_9AM)).isEqualTo("red");
        assertThat(h.colourAt(ALICE, cleared)).isEqualTo("green");
    }

    @Test
    void pooledPositiveIsRedUntilANegativeSingleTubeNotAPooledOne() throws Exception {
        h.send(positivePooled(ALICE, MONDAY_9AM), test(ALICE, plusHours(MONDAY_9AM, 10), false, true))
                .advanceTo(plusDays(MONDAY_9AM, 1));
        assertThat(h.latest(ALICE).colour()).isEqualTo("red");
        h.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 1))).advanceTo(plusDays(MONDAY_9AM, 2));
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 1))).isEqualTo("green");
    }

    @Test
    void contactOfAContactIsYellowSevenDaysFromExposureThenNeedsANegativeTest() throws Exception {
        h.send(designation(ALICE, 2, MONDAY_9AM, plusHours(MONDAY_9AM, 5))).advanceTo(plusDays(MONDAY_9AM, 9));
        assertThat(h.colourAt(ALICE, plusHours(MONDAY_9AM, 5))).isEqualTo("yellow");
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");
        assertThat(h.latest(ALICE).conditions().get(0).phaseEndMs()).isZero();
        h.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 9))).advanceTo(plusDays(MONDAY_9AM, 10));
        assertThat(h.latest(ALICE).colour()).isEqualTo("green");
    }

    @Test
    void inboundIsRedSevenDaysThenYellowThreeDaysThenGreenWithoutAnyTest() throws Exception {
        h.send(borderEntry(ALICE, MONDAY_9AM)).advanceTo(plusDays(MONDAY_9AM, 11));
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 7).minusMillis(1))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 7))).isEqualTo("yellow");
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 10))).isEqualTo("green");
        // the person's history is kept until the allowed lateness (48 h) has passed its last input and condition
        h.advanceTo(plusDays(MONDAY_9AM, 13));
        assertThat(h.timers()).isZero();
    }

    @Test
    void companionIsYellowUntilTwoNegativeTestsADayApartWithinThreeDays() throws Exception {
        Instant found = plusDays(MONDAY_9AM, 2);
        h.send(companion(ALICE, "case-1", MONDAY_9AM, plusHours(MONDAY_9AM, 1), found))
                .send(negativePcr(ALICE, plusDays(found, 1)), negativePcr(ALICE, plusDays(found, 5)))
                .advanceTo(plusDays(found, 6));
        // four days apart: more than the 3-day window
        assertThat(h.latest(ALICE).colour()).isEqualTo("yellow");
        assertThat(h.latest(ALICE).conditions())
                .extracting(ConditionView::reason)
                .containsExactly("companion");
        h.send(negativePcr(ALICE, plusDays(found, 6))).advanceTo(plusDays(found, 7));
        assertThat(h.colourAt(ALICE, plusDays(found, 6))).isEqualTo("green");
    }

    @Test
    void aCloseSameVehicleExposureIsRedSevenDaysFromArrival() throws Exception {
        Instant arrival = plusHours(MONDAY_9AM, 3);
        h.send(sameFlightNearRow(ALICE, "case-1", MONDAY_9AM, arrival, plusDays(MONDAY_9AM, 2)))
                .advanceTo(plusDays(MONDAY_9AM, 12));
        assertThat(h.colourAt(ALICE, plusDays(MONDAY_9AM, 2))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, plusDays(arrival, 7).minusMillis(1))).isEqualTo("red");
        assertThat(h.colourAt(ALICE, plusDays(arrival, 7))).isEqualTo("yellow");
        assertThat(h.latest(ALICE).conditions().get(0).reason()).isEqualTo("same_vehicle");
    }

    @Test
    void theSameExposureDetectedTwiceChangesNothing() throws Exception {
        Instant found = plusDays(MONDAY_9AM, 2);
        h.send(companion(ALICE, "case-1", MONDAY_9AM, plusHours(MONDAY_9AM, 1), found))
                .advanceTo(plusDays(found, 1));
        h.send(companion(ALICE, "case-1", MONDAY_9AM, plusHours(MONDAY_9AM, 1), found));
        assertThat(h.statusesOf(ALICE)).hasSize(1);
    }
}
