package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.cityStay;
import static org.healthcode.risk.testing.Fixtures.identity;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.riskArea;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.AreaStay;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.testing.PersonRiskHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Carrier city stays: the phone's owner as of the stay, then the same risk-area matching as hotel and trip stays. */
class CityStayOwnerTest {
    private static final String PHONE = "phone-1";
    /** Alice has the phone until Tuesday 09:00, then Bob. */
    private static final Event ALICE_HAS_IT = identity(ALICE, PHONE, "440106", plusDays(MONDAY_9AM, -30));

    private static final Event BOB_HAS_IT = identity(BOB, PHONE, "440106", plusDays(MONDAY_9AM, 1));
    /** Monday 09:00-18:00 in Shenzhen, Futian (440304). */
    private static final Event MONDAY_IN_FUTIAN = cityStay(PHONE, "440304", MONDAY_9AM, plusHours(MONDAY_9AM, 9));

    private KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CityStayOwner(), Event::msisdn, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(Event... events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(e, e.time()));
        }
    }

    @Test
    void aStayGoesToWhoeverHadThePhoneThenEvenIfTheBindingArrivesAfterIt() throws Exception {
        send(MONDAY_IN_FUTIAN, BOB_HAS_IT, ALICE_HAS_IT);
        h.processWatermark(new Watermark(plusDays(MONDAY_9AM, 2).toEpochMilli()));
        assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
            assertThat(e.personId()).isEqualTo(ALICE);
            assertThat(e.eventId()).isEqualTo(MONDAY_IN_FUTIAN.eventId());
            assertThat(e.areaCode()).isEqualTo("440304");
        });
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        assertThat(((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries())
                .isEqualTo(1); // the bindings
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void bindingsAnEarlierJobKeptAsEventsStillOwnTheStayAndMoveToTheCompactState() throws Exception {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        var asEvents = new org.apache.flink.api.common.state.ValueStateDescriptor<>(
                "bindings", Types.LIST(org.apache.flink.api.common.typeinfo.TypeInformation.of(Event.class)));
        backend.setCurrentKey(PHONE);
        backend.getPartitionedState(
                        org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                        org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                        asEvents)
                .update(List.of(ALICE_HAS_IT));

        send(MONDAY_IN_FUTIAN);
        h.processWatermark(new Watermark(plusDays(MONDAY_9AM, 2).toEpochMilli()));
        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(e -> assertThat(e.personId()).isEqualTo(ALICE));
        backend.setCurrentKey(PHONE);
        assertThat(backend.getPartitionedState(
                                org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                                org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                                asEvents)
                        .value())
                .isNull();
        assertThat(((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries())
                .isEqualTo(1); // the bindings, compact
    }

    @Test
    void aStayOfAPhoneNobodyIsBoundToIsDropped() throws Exception {
        send(MONDAY_IN_FUTIAN);
        h.processWatermark(new Watermark(plusDays(MONDAY_9AM, 2).toEpochMilli()));
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void aCityStayInAHighRiskDistrictTurnsItsPersonRed() throws Exception {
        send(ALICE_HAS_IT, MONDAY_IN_FUTIAN);
        h.processWatermark(new Watermark(plusDays(MONDAY_9AM, 1).toEpochMilli()));
        Event ownedStay = h.extractOutputValues().get(0);
        Event futianHigh = riskArea("440304", "high", plusHours(MONDAY_9AM, 3), null, plusDays(MONDAY_9AM, 1));
        Event shenzhenMedium = riskArea("440300", "medium", plusDays(MONDAY_9AM, 5), null, plusDays(MONDAY_9AM, 5));
        try (var matcher = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new RiskAreaMatcher(), Event::personId, Types.STRING, RiskAreaMatcher.LISTINGS);
                PersonRiskHarness person = new PersonRiskHarness()) {
            // listed from noon: overlaps the stay (09:00-18:00); the Shenzhen listing starts days after it
            matcher.processBroadcastElement(futianHigh, futianHigh.time());
            matcher.processBroadcastElement(shenzhenMedium, shenzhenMedium.time());
            matcher.processElement(ownedStay, ownedStay.time());
            List<AreaStay> found = matcher.extractOutputValues().stream()
                    .map(PersonInput::areaStay)
                    .toList();
            assertThat(found).singleElement().satisfies(a -> {
                assertThat(a.personId()).isEqualTo(ALICE);
                assertThat(a.level()).isEqualTo("high");
                assertThat(a.stayEndMs()).isEqualTo(plusHours(MONDAY_9AM, 9).toEpochMilli());
            });
            person.send(found.get(0)).advanceTo(plusDays(MONDAY_9AM, 2));
            assertThat(person.colourAt(ALICE, plusDays(MONDAY_9AM, 1))).isEqualTo("red");
            assertThat(person.latest(ALICE).conditions().get(0).reason()).isEqualTo("high_risk_area");
        }
    }
}
