package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.hotelCheckin;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.riskArea;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.AreaStay;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stays against the broadcast risk-area list: prefix coverage, overlap, either arrival order, state end of life. */
class RiskAreaMatcherTest {
    private KeyedBroadcastOperatorTestHarness<String, Event, Event, PersonInput> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RiskAreaMatcher(), Event::personId, Types.STRING, RiskAreaMatcher.LISTINGS);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private List<AreaStay> found() {
        return h.extractOutputValues().stream().map(PersonInput::areaStay).toList();
    }

    private final Event stay = hotelCheckin(ALICE, "440106", MONDAY_9AM, plusDays(MONDAY_9AM, 2));
    private final Event cityListedHigh =
            riskArea("440100", "high", plusDays(MONDAY_9AM, 1), null, plusDays(MONDAY_9AM, 3));

    @Test
    void aCityListingCoversADistrictStayWhicheverArrivesFirst() throws Exception {
        h.processBroadcastElement(cityListedHigh, cityListedHigh.time());
        h.processElement(stay, stay.time());
        List<AreaStay> listingFirst = found();
        assertThat(listingFirst).singleElement().satisfies(a -> {
            assertThat(a.level()).isEqualTo("high");
            assertThat(a.stayEndMs()).isEqualTo(plusDays(MONDAY_9AM, 2).toEpochMilli());
            assertThat(a.knownAtMs()).isEqualTo(cityListedHigh.time());
        });

        try (var other = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RiskAreaMatcher(), Event::personId, Types.STRING, RiskAreaMatcher.LISTINGS)) {
            other.processElement(stay, stay.time());
            other.processBroadcastElement(cityListedHigh, cityListedHigh.time());
            assertThat(other.extractOutputValues().stream()
                            .map(PersonInput::areaStay)
                            .toList())
                    .isEqualTo(listingFirst);
        }
    }

    @Test
    void aDistrictListingDoesNotCoverACityLevelStayNorAStayOutsideItsPeriod() throws Exception {
        h.processBroadcastElement(riskArea("440106", "high", MONDAY_9AM, null, MONDAY_9AM), 0);
        h.processBroadcastElement(riskArea("440300", "medium", plusDays(MONDAY_9AM, 5), null, MONDAY_9AM), 0);
        h.processElement(hotelCheckin(ALICE, "440100", MONDAY_9AM, plusDays(MONDAY_9AM, 1)), 0);
        h.processElement(hotelCheckin(ALICE, "440304", MONDAY_9AM, plusDays(MONDAY_9AM, 1)), 0);
        assertThat(found()).isEmpty();
        assertThat(RiskAreaMatcher.covers("440000", "440106")).isTrue();
        assertThat(RiskAreaMatcher.covers("440106", "440100")).isFalse();
    }

    @Test
    void aStayIsForgottenFourteenDaysAfterItEnded() throws Exception {
        h.processElement(stay, stay.time());
        assertThat(entries()).isPositive();
        h.processWatermark(plusDays(MONDAY_9AM, 16).toEpochMilli());
        h.processBroadcastWatermark(Long.MAX_VALUE);
        assertThat(entries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    private int entries() {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void aHighRiskStayIsRedUntilSevenDaysAfterTheStayThenNeedsANegativeTest() throws Exception {
        h.processBroadcastElement(cityListedHigh, cityListedHigh.time());
        h.processElement(stay, stay.time());
        try (PersonRiskHarness risk = new PersonRiskHarness()) {
            risk.send(found().get(0)).advanceTo(plusDays(MONDAY_9AM, 12));
            assertThat(risk.colourAt(ALICE, plusDays(MONDAY_9AM, 3))).isEqualTo("red");
            assertThat(risk.colourAt(ALICE, plusDays(MONDAY_9AM, 9).minusMillis(1)))
                    .isEqualTo("red");
            assertThat(risk.latest(ALICE).colour()).isEqualTo("red");
            assertThat(risk.latest(ALICE).conditions().get(0).reason()).isEqualTo("high_risk_area");
            risk.send(negativePcr(ALICE, plusDays(MONDAY_9AM, 12))).advanceTo(plusDays(MONDAY_9AM, 13));
            assertThat(risk.latest(ALICE).colour()).isEqualTo("green");
        }
    }

    @Test
    void aMediumRiskStayIsYellowUntilSevenDaysAfterTheStayAndThenEnds() throws Exception {
        Event medium = riskArea("440106", "medium", MONDAY_9AM, plusDays(MONDAY_9AM, 1), MONDAY_9AM);
        h.processBroadcastElement(medium, medium.time());
        h.processElement(stay, stay.time());
        try (PersonRiskHarness risk = new PersonRiskHarness()) {
            risk.send(found().get(0)).advanceTo(plusDays(MONDAY_9AM, 12));
            assertThat(risk.colourAt(ALICE, MONDAY_9AM)).isEqualTo("yellow");
            assertThat(risk.colourAt(ALICE, plusDays(MONDAY_9AM, 9))).isEqualTo("green");
        }
    }
}
