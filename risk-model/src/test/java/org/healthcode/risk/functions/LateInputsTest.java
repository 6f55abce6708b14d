package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.closeContact;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.time.Instant;
import java.util.List;
import org.healthcode.risk.contacts.Exposure;
import org.healthcode.risk.contacts.ExposureKind;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.Test;

/**
 * Inputs that arrive behind the watermark (within the allowed lateness) end where in-order processing ends: the same
 * conditions and colour, and since at the event time of the change, not at the watermark that applied them.
 */
class LateInputsTest {
    private static final Instant TUESDAY_9AM = plusDays(MONDAY_9AM, 1);
    private static final Instant WEDNESDAY_9AM = plusDays(MONDAY_9AM, 2);

    @Test
    void aLatePositiveTakesTheNegativeTestsSampledAfterItAndItsSinceIsItsOwnTime() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(negativePcr(ALICE, TUESDAY_9AM)).advanceTo(plusHours(TUESDAY_9AM, 6));
            // the positive of Monday arrives after the watermark passed Tuesday's negative
            h.send(positivePcr(ALICE, MONDAY_9AM));
            StatusChange red = h.latest(ALICE);
            assertThat(red.colour()).isEqualTo("red");
            assertThat(red.sinceMs()).isEqualTo(MONDAY_9AM.toEpochMilli());
            assertThat(red.effectiveMs())
                    .as("a correction takes effect when it is made")
                    .isEqualTo(plusHours(TUESDAY_9AM, 6).toEpochMilli());
            // in order, Tuesday's negative counts: with Wednesday's (24 h apart) the positive-test condition ends
            h.send(negativePcr(ALICE, WEDNESDAY_9AM)).advanceTo(plusDays(WEDNESDAY_9AM, 1));
            assertThat(h.latest(ALICE).colour()).isEqualTo("green");
            assertThat(h.latest(ALICE).sinceMs()).isEqualTo(WEDNESDAY_9AM.toEpochMilli());
        }
    }

    @Test
    void aLateInputGivesTheSameFinalStatusAsTheSameInputsInOrder() throws Exception {
        StatusChange inOrder;
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(
                    closeContact(BOB, MONDAY_9AM, MONDAY_9AM),
                    negativePcr(BOB, plusHours(MONDAY_9AM, 30)),
                    positivePcr(BOB, plusHours(MONDAY_9AM, 20)));
            h.advanceTo(plusDays(MONDAY_9AM, 2));
            inOrder = h.latest(BOB);
        }
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(closeContact(BOB, MONDAY_9AM, MONDAY_9AM), negativePcr(BOB, plusHours(MONDAY_9AM, 30)));
            h.advanceTo(plusHours(MONDAY_9AM, 40));
            h.send(positivePcr(BOB, plusHours(MONDAY_9AM, 20)));
            h.advanceTo(plusDays(MONDAY_9AM, 2));
            StatusChange late = h.latest(BOB);
            assertThat(late.colour()).isEqualTo(inOrder.colour());
            assertThat(late.sinceMs()).isEqualTo(inOrder.sinceMs());
            assertThat(late.conditions()).isEqualTo(inOrder.conditions());
        }
    }

    @Test
    void aRevisedExposureReplacesTheAppliedOneAndAWithdrawalTakesItsConditionAway() throws Exception {
        Instant diagnosis = plusHours(MONDAY_9AM, 6);
        Exposure byDiagnosis = Exposure.of(
                BOB,
                ALICE,
                ExposureKind.VENUE_CO_VISIT,
                ms(plusHours(MONDAY_9AM, -20)),
                ms(plusHours(MONDAY_9AM, -20)),
                "venue:market",
                0,
                ms(diagnosis),
                List.of("diagnosis:alice"));
        Exposure byTest = Exposure.of(
                BOB,
                ALICE,
                ExposureKind.VENUE_CO_VISIT,
                ms(plusHours(MONDAY_9AM, -20)),
                ms(plusHours(MONDAY_9AM, -20)),
                "venue:market",
                0,
                ms(MONDAY_9AM),
                List.of("test+:alice"));
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(byDiagnosis).advanceTo(TUESDAY_9AM);
            assertThat(h.latest(BOB).sinceMs()).isEqualTo(ms(diagnosis));
            // the case's earlier test arrived a day late: the same exposure, found earlier
            h.send(byTest);
            StatusChange revised = h.latest(BOB);
            assertThat(revised.colour()).isEqualTo("yellow");
            assertThat(revised.sinceMs()).isEqualTo(ms(MONDAY_9AM));
            assertThat(revised.conditions()).singleElement().satisfies(c -> {
                assertThat(c.startMs()).isEqualTo(ms(MONDAY_9AM));
                assertThat(c.cause()).containsExactly(byTest.exposureId());
            });
            h.send(byTest.withdrawal());
            assertThat(h.latest(BOB).colour()).isEqualTo("green");
            assertThat(h.latest(BOB).conditions()).isEmpty();
        }
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            // not applied yet: the latest version waits in its place
            h.send(byDiagnosis).send(byTest).advanceTo(TUESDAY_9AM);
            assertThat(h.latest(BOB).sinceMs()).isEqualTo(ms(MONDAY_9AM));
            assertThat(h.statusesOf(BOB)).hasSize(1);
        }
    }

    private static long ms(Instant t) {
        return t.toEpochMilli();
    }
}
