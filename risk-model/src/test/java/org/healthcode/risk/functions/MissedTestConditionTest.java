package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.time.Instant;
import org.healthcode.risk.events.MissedTest;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.Test;

/** The missed-test row (应检未检): yellow from the end of the interval with no test, until any test result. */
class MissedTestConditionTest {
    private static final Instant INTERVAL_END = plusDays(MONDAY_9AM, 1);
    private static final MissedTest MISSED_MONDAY = new MissedTest(
            "missed-campaign@" + INTERVAL_END.toEpochMilli(),
            ALICE,
            "campaign-440100",
            MONDAY_9AM.toEpochMilli(),
            INTERVAL_END.toEpochMilli());

    @Test
    void missingATestTurnsYellowAtTheIntervalsEndAndAnyTestEndsIt() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(MISSED_MONDAY).send(negativePcr(ALICE, plusHours(INTERVAL_END, 5)));
            h.advanceTo(plusDays(INTERVAL_END, 1));
            assertThat(h.colourAt(ALICE, plusHours(INTERVAL_END, -1))).isEqualTo("green");
            assertThat(h.colourAt(ALICE, INTERVAL_END)).isEqualTo("yellow");
            assertThat(h.statusesOf(ALICE).get(0).conditions()).singleElement().satisfies(c -> {
                assertThat(c.reason()).isEqualTo("missed_test");
                assertThat(c.cause()).containsExactly(MISSED_MONDAY.id());
                assertThat(c.startMs()).isEqualTo(INTERVAL_END.toEpochMilli());
            });
            assertThat(h.colourAt(ALICE, plusHours(INTERVAL_END, 5))).isEqualTo("green");
            // the inputs of the last allowed lateness (48 h) stay in the person's history until then
            h.advanceTo(plusDays(INTERVAL_END, 4));
            assertThat(h.stateEntries()).isEqualTo(1); // the sequence entry only
        }
    }

    @Test
    void withoutATestItStaysYellowAndATestSampledBeforeTheEndDoesNotCount() throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            h.send(MISSED_MONDAY).send(negativePcr(ALICE, plusHours(INTERVAL_END, -1))); // late news of an old test
            h.advanceTo(plusDays(INTERVAL_END, 10));
            assertThat(h.colourAt(ALICE, plusDays(INTERVAL_END, 10))).isEqualTo("yellow");
            assertThat(h.timers()).isZero();
        }
    }
}
