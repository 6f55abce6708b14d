package org.healthcode.risk.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.closeContact;
import static org.healthcode.risk.testing.Fixtures.confirmed;
import static org.healthcode.risk.testing.Fixtures.discharged;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;

import java.util.List;
import org.healthcode.risk.state.ConditionState;
import org.junit.jupiter.api.Test;

/** The pure rule logic: phase boundaries, ends and next wake-ups, without Flink. */
class RiskEngineTest {
    private final RiskEngine engine = new RiskEngine(RuleSet.defaults());

    @Test
    void closeContactPhasesAreMeasuredFromTheExposureInExactHours() {
        List<ConditionState> c = engine.apply(List.of(), closeContact(ALICE, MONDAY_9AM, plusDays(MONDAY_9AM, 2)));
        long exposure = MONDAY_9AM.toEpochMilli();
        assertThat(engine.nextChange(c, plusDays(MONDAY_9AM, 2).toEpochMilli())).isEqualTo(exposure + 168 * 3_600_000L);
        assertThat(engine.nextChange(c, exposure + 168 * 3_600_000L)).isEqualTo(exposure + 240 * 3_600_000L);
        assertThat(engine.endAt(c.get(0))).isEqualTo(Long.MAX_VALUE);
        assertThat(engine.assess(c, exposure + 240 * 3_600_000L).colour()).isEqualTo(Colour.YELLOW);
    }

    @Test
    void anInfectionWaitsForItsDischargeBeforeAnyPhaseRuns() {
        List<ConditionState> c = engine.apply(List.of(), confirmed(ALICE, MONDAY_9AM));
        assertThat(engine.nextChange(c, MONDAY_9AM.toEpochMilli())).isEqualTo(Long.MAX_VALUE);
        c = engine.apply(c, discharged(ALICE, plusDays(MONDAY_9AM, 10)));
        c = engine.apply(c, negativePcr(ALICE, plusDays(MONDAY_9AM, 11)));
        assertThat(engine.endAt(c.get(0))).isEqualTo(plusDays(MONDAY_9AM, 38).toEpochMilli());
        assertThat(engine.advance(c, plusDays(MONDAY_9AM, 38).toEpochMilli())).isEmpty();
        assertThat(engine.assess(List.of(), 0).colour()).isEqualTo(Colour.GREEN);
    }

    @Test
    void theTypesThatConcernNoRuleLeaveAnyConditionsAsTheyAre() {
        List<ConditionState> none = List.of();
        List<ConditionState> some = engine.apply(
                engine.apply(none, closeContact(ALICE, MONDAY_9AM, plusDays(MONDAY_9AM, 1))),
                confirmed(ALICE, plusDays(MONDAY_9AM, 2)));
        assertThat(some).isNotEmpty();
        int ignored = 0;
        for (org.healthcode.ingest.events.EventType type : org.healthcode.ingest.events.EventType.values()) {
            org.healthcode.ingest.events.Event e = org.healthcode.ingest.events.Event.builder(
                            "x-" + type, type, plusDays(MONDAY_9AM, 3).toEpochMilli(), "440100")
                    .personId(ALICE)
                    .build();
            if (RiskEngine.concernsNoRule(e)) {
                ignored++;
                assertThat(engine.apply(some, e)).as("%s", type).isEqualTo(some);
                assertThat(engine.apply(none, e)).as("%s", type).isEqualTo(none);
            }
        }
        assertThat(ignored).isGreaterThan(5);
        // and the ones a rule reads are not among them
        assertThat(RiskEngine.concernsNoRule(negativePcr(ALICE, MONDAY_9AM))).isFalse();
        assertThat(RiskEngine.concernsNoRule(confirmed(ALICE, MONDAY_9AM))).isFalse();
    }
}
