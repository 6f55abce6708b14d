package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.approvedOverride;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;
import static org.healthcode.risk.testing.Fixtures.withdrawnOverride;

import java.time.Instant;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.Test;

/** The override row: its own condition, winning over computed colours either way, until expiry or withdrawal. */
class OverridesTest {
    private static final Instant APPROVED = plusHours(MONDAY_9AM, 3);
    private static final Instant EXPIRY = plusDays(MONDAY_9AM, 5);

    @Test
    void anApprovedGreenOverrideTurnsAWrongRedGreenUntilItExpires() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(positivePcr(ALICE, MONDAY_9AM)).send(approvedOverride("appeal-7", ALICE, "green", APPROVED, EXPIRY));
            h.advanceTo(plusDays(MONDAY_9AM, 6));
            assertThat(h.colourAt(ALICE, plusHours(MONDAY_9AM, 1))).isEqualTo("red");
            assertThat(h.colourAt(ALICE, APPROVED)).isEqualTo("green");
            StatusChange overridden = h.statusesOf(ALICE).get(1);
            assertThat(overridden.conditions().get(0)).satisfies(c -> {
                assertThat(c.reason()).isEqualTo("override");
                assertThat(c.colour()).isEqualTo("green");
                assertThat(c.cause()).containsExactly("req-appeal-7", "appr-appeal-7");
                assertThat(c.phaseEndMs()).isEqualTo(EXPIRY.toEpochMilli());
                assertThat(c.endsWith()).contains("requested by op-chen, approved by op-li");
            });
            // the computed condition stays visible under the override
            assertThat(overridden.conditions())
                    .extracting(c -> c.reason())
                    .containsExactly("override", "positive_test");
            // exit not met: the positive test still stands when the override expires
            assertThat(h.colourAt(ALICE, EXPIRY)).isEqualTo("red");
        }
    }

    @Test
    void aRedOverrideWinsOverGreenAndEndsWhenWithdrawn() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            OverrideDecision red = approvedOverride("case-9", BOB, "red", APPROVED, EXPIRY);
            h.send(red).send(withdrawnOverride(red, plusDays(MONDAY_9AM, 2)));
            h.advanceTo(plusDays(MONDAY_9AM, 3));
            assertThat(h.colourAt(BOB, APPROVED)).isEqualTo("red");
            assertThat(h.colourAt(BOB, plusDays(MONDAY_9AM, 2))).isEqualTo("green");
            assertThat(h.latest(BOB).conditions()).isEmpty();
            // state end of life: only the sequence entry of a person with no condition is left once the allowed
            // lateness (48 h) has passed the last input; the expiry timer fires once at the old expiry and does nothing
            h.advanceTo(plusDays(EXPIRY, 3));
            assertThat(h.stateEntries()).isEqualTo(1);
            assertThat(h.timers()).isZero();
            assertThat(h.statusesOf(BOB)).hasSize(2);
        }
    }

    @Test
    void aYellowOverrideEndsAtItsExpiryAndTestsDoNotEndIt() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(approvedOverride("ovr-1", BOB, "yellow", APPROVED, EXPIRY))
                    .send(negativePcr(BOB, plusDays(MONDAY_9AM, 1)));
            h.advanceTo(plusDays(MONDAY_9AM, 4));
            assertThat(h.colourAt(BOB, plusDays(MONDAY_9AM, 4))).isEqualTo("yellow");
            h.advanceTo(EXPIRY);
            assertThat(h.colourAt(BOB, EXPIRY)).isEqualTo("green");
            // the person's history is kept until the allowed lateness (48 h) has passed its last input and condition
            h.advanceTo(plusDays(EXPIRY, 3));
            assertThat(h.timers()).isZero();
        }
    }

    @Test
    void aLaterApprovedOverrideReplacesTheEarlierOne() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            OverrideDecision first = approvedOverride("ovr-1", BOB, "red", APPROVED, EXPIRY);
            h.send(first)
                    .send(approvedOverride("ovr-2", BOB, "yellow", plusDays(MONDAY_9AM, 1), EXPIRY))
                    .send(withdrawnOverride(first, plusDays(MONDAY_9AM, 2))); // no longer in force: changes nothing
            h.advanceTo(plusDays(MONDAY_9AM, 3));
            assertThat(h.colourAt(BOB, plusDays(MONDAY_9AM, 3))).isEqualTo("yellow");
        }
    }
}
