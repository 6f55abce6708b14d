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
            assertThat(red.effectiveMs()).as("a correction takes effect when it is made")
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
            h.send(closeContact(BOB, MONDAY_9AM, MONDAY_9AM), negativePcr(BOB, plusHours(MONDAY_9AM, 30)),
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
}
