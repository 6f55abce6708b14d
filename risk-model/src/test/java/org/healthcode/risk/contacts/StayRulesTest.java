package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stay rules alone, without Flink: one phone's state through pings, gaps and bindings. */
class StayRulesTest {
    private static final long MINUTE = 60_000;
    private static final long NINE = 1_648_774_800_000L; // 2022-04-01T09:00+08:00
    private static final long GAP = 30 * MINUTE;
    private static final String PHONE = "phone-a";
    private static final long HOME = 1L << 32 | 7;
    private static final long WORK = 2L << 32 | 7;

    private final StayRules rules = new StayRules(GAP);
    private final List<Stay> stays = new ArrayList<>();
    private final List<Long> stamps = new ArrayList<>();
    private int unbound;

    private final StayRules.Outcome out = new StayRules.Outcome() {
        @Override
        public void stay(Stay stay, long timestamp) {
            stays.add(stay);
            stamps.add(timestamp);
        }

        @Override
        public void unboundPing() {
            unbound++;
        }
    };

    private static PhoneSignal ping(long t, long cell, String id) {
        return PhoneSignal.ping(PHONE, t, cell, id);
    }

    private PhoneState boundToAlice() {
        return rules.bind(PHONE, null, new PhoneBinding("alice", NINE - 60 * MINUTE, "id-1"), NINE - 60 * MINUTE, out);
    }

    private PhoneState pings(PhoneState st, long... minutesAndCells) {
        for (int i = 0; i < minutesAndCells.length; i += 2) {
            long t = NINE + minutesAndCells[i] * MINUTE;
            st = rules.step(PHONE, st, t, ping(t, minutesAndCells[i + 1], "p" + i), out);
        }
        return st;
    }

    @Test
    void consecutivePingsInOneCellAreOneStayEndedByAPingElsewhere() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 10, HOME, 25, HOME, 40, WORK);
        assertThat(stays).singleElement().satisfies(s -> {
            assertThat(s.personId()).isEqualTo("alice");
            assertThat(s.from()).isEqualTo(NINE);
            assertThat(s.to()).isEqualTo(NINE + 25 * MINUTE);
            assertThat(s.pings()).isEqualTo(3);
        });
        assertThat(stamps).containsExactly(NINE + 40 * MINUTE);
        assertThat(st.open().cell()).isEqualTo(WORK);
    }

    @Test
    void aGapLongerThanTheRuleEndsTheStayAtTheNextStepEvenInTheSameCell() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 10, HOME);
        st = rules.step(PHONE, st, NINE + 10 * MINUTE + GAP, null, out);
        assertThat(stays).isEmpty(); // exactly the gap: still open
        st = rules.step(PHONE, st, NINE + 10 * MINUTE + GAP + 1, null, out);
        assertThat(stays).singleElement().extracting(Stay::to).isEqualTo(NINE + 10 * MINUTE);
        assertThat(st.open()).isNull();
        assertThat(rules.gapDeadline(new PhoneState.OpenStay("alice", HOME, NINE, NINE, "p", "p", 1)))
                .isEqualTo(NINE + GAP + 1);
    }

    @Test
    void aSinglePingStayIsNeverReported() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 5, WORK);
        rules.step(PHONE, st, NINE + 5 * MINUTE + GAP + 1, null, out);
        assertThat(stays).isEmpty();
    }

    @Test
    void aPingWithoutABindingAtItsTimeIsDroppedAndCounted() {
        PhoneState st = rules.step(PHONE, null, NINE, ping(NINE, HOME, "p0"), out);
        assertThat(st).isNull();
        assertThat(unbound).isEqualTo(1);
        PhoneState later = rules.bind(PHONE, null, new PhoneBinding("alice", NINE + MINUTE, "id-1"), NINE, out);
        rules.step(PHONE, later, NINE, ping(NINE, HOME, "p1"), out); // bound from a minute later: not yet
        assertThat(unbound).isEqualTo(2);
    }

    @Test
    void aNewerBindingBehindTheClockToAnotherPersonEndsTheOpenStayAtItsTime() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 10, HOME);
        PhoneBinding toBob = new PhoneBinding("bob", NINE + 5 * MINUTE, "id-2");
        st = rules.bind(PHONE, st, toBob, NINE + 10 * MINUTE, out);
        assertThat(stays).singleElement().extracting(Stay::personId).isEqualTo("alice");
        assertThat(stamps).containsExactly(NINE + 5 * MINUTE);
        assertThat(st.open()).isNull();
        st = pings(st, 20, HOME);
        assertThat(st.open().personId()).isEqualTo("bob");
    }

    @Test
    void anOlderBindingArrivingLateNeverOverridesANewerOne() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 10, HOME);
        PhoneState same =
                rules.bind(PHONE, st, new PhoneBinding("bob", NINE - 120 * MINUTE, "id-0"), NINE + 10 * MINUTE, out);
        assertThat(same).isSameAs(st);
        assertThat(stays).isEmpty();
    }

    @Test
    void aBindingAheadOfTheClockWaitsForItsTimeAndLeavesTheOpenStayAlone() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 10, HOME);
        st = rules.bind(PHONE, st, new PhoneBinding("bob", NINE + 60 * MINUTE, "id-2"), NINE + 10 * MINUTE, out);
        assertThat(stays).isEmpty();
        st = pings(st, 20, HOME);
        assertThat(st.open().personId()).isEqualTo("alice");
        st = pings(st, 60, HOME); // the phone is Bob's from here: Alice's stay ends
        assertThat(stays).singleElement().extracting(Stay::personId).isEqualTo("alice");
        assertThat(st.open().personId()).isEqualTo("bob");
    }

    @Test
    void ofPingsAtOneMillisecondTheSameCellCountsOnceAndDifferentCellsKeepTheSmallerEventId() {
        PhoneSignal[] sameCell = {ping(NINE, HOME, "b"), ping(NINE, HOME, "a")};
        assertThat(StayRules.pingOfOneMillisecond(sameCell, 0, 2).eventId()).isEqualTo("b");
        PhoneSignal[] twoCells = {ping(NINE, HOME, "b"), ping(NINE, WORK, "a")};
        assertThat(StayRules.pingOfOneMillisecond(twoCells, 0, 2).eventId()).isEqualTo("a");
    }

    @Test
    void aLatePingRepeatsTheOpenStayOnlyInItsCellAndSpan() {
        PhoneState st = pings(boundToAlice(), 0, HOME, 20, HOME);
        assertThat(StayRules.repeatsOpenStay(st, ping(NINE + 10 * MINUTE, HOME, "x")))
                .isTrue();
        assertThat(StayRules.repeatsOpenStay(st, ping(NINE + 10 * MINUTE, WORK, "x")))
                .isFalse();
        assertThat(StayRules.repeatsOpenStay(st, ping(NINE - MINUTE, HOME, "x")))
                .isFalse();
        assertThat(StayRules.repeatsOpenStay(null, ping(NINE, HOME, "x"))).isFalse();
    }
}
