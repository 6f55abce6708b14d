package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.HOME_CELL;
import static org.healthcode.risk.contacts.ContactFixtures.NEXT_CELL;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** What stands for a person: one companion exposure per case whichever cell reported first; revisions; withdrawals. */
class ExposureDeduplicatorTest {

    private static final Instant FOUND = plusDays(MONDAY_9AM, 4);

    private static Exposure companion(String cell, Instant from, long minutes, Instant found) {
        return Exposure.of(
                BOB,
                ALICE,
                ExposureKind.COMPANION,
                ms(from),
                ms(plusMinutes(from, minutes)),
                cell,
                minutes,
                ms(found),
                List.of("test+:alice", "ping:a", "ping:b@" + cell));
    }

    /** The exposures that stand after the output: the latest of each id, withdrawals removing it. */
    private static List<Exposure> run(Exposure... in) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Exposure, Exposure> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new ExposureDeduplicator(ContactRules.defaults()), Exposure::personId, Types.STRING)) {
            for (Exposure e : in) {
                h.processElement(new StreamRecord<>(e, e.effectiveTime()));
            }
            List<Exposure> standing = new ArrayList<>();
            for (Exposure e : h.extractOutputValues()) {
                standing.removeIf(x -> x.exposureId().equals(e.exposureId()));
                if (!e.withdrawn()) {
                    standing.add(e);
                }
            }
            return standing;
        }
    }

    @Test
    void oneCompanionPerCaseStandsWhicheverCellReportedFirst() throws Exception {
        Exposure home = companion(HOME_CELL, MONDAY_9AM, 20, FOUND);
        Exposure next = companion(NEXT_CELL, plusMinutes(MONDAY_9AM, 40), 20, FOUND);

        List<Exposure> homeFirst = run(home, next);
        List<Exposure> nextFirst = run(next, home);

        assertThat(homeFirst).hasSize(1).isEqualTo(nextFirst);
        assertThat(homeFirst.get(0)).isEqualTo(Exposure.CHOICE.compare(home, next) <= 0 ? home : next);
    }

    @Test
    void aRevisionReplacesAndAWithdrawalLetsTheOtherCellStand() throws Exception {
        Exposure home = companion(HOME_CELL, MONDAY_9AM, 20, FOUND);
        Exposure homeEarlier = companion(HOME_CELL, MONDAY_9AM, 20, plusDays(MONDAY_9AM, 3));
        Exposure next = companion(NEXT_CELL, plusMinutes(MONDAY_9AM, 40), 20, FOUND);

        assertThat(run(home, homeEarlier)).containsExactly(homeEarlier);
        assertThat(run(home, next, home.withdrawal())).containsExactly(next);
        assertThat(run(home, home)).containsExactly(home);
    }
}
