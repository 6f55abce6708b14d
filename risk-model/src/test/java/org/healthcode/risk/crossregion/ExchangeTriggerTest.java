package org.healthcode.risk.crossregion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.CrossRegionFixtures.GUANGDONG;
import static org.healthcode.risk.testing.CrossRegionFixtures.SHANGHAI;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.StatusChange;
import org.junit.jupiter.api.Test;

/**
 * When Guangdong pushes one of its red/yellow persons to the region they are in: a carrier city stay, a trip
 * arrival or a hotel in an area of another region, whichever comes first, the status or the stay.
 */
class ExchangeTriggerTest {
    private static final Instant FOUND = plusHours(MONDAY_9AM, 1);
    private static final long DAY = 86_400_000L;
    private static final ExchangeSettings SETTINGS = new ExchangeSettings(
            GUANGDONG,
            RegionDirectory.parse(
                    List.of("# Shenzhen runs its own engine", "4403 440300"), new java.util.ArrayList<>()),
            7 * DAY,
            14 * DAY);

    private KeyedTwoInputStreamOperatorTestHarness<String, StatusChange, Event, ExchangeRequest> h;

    private KeyedTwoInputStreamOperatorTestHarness<String, StatusChange, Event, ExchangeRequest> harness()
            throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new ExchangeTrigger(SETTINGS), StatusChange::personId, Event::personId, Types.STRING);
        return h;
    }

    private static StatusChange status(
            String colour, String reason, Instant since, Instant at, long seq, String nationalId) {
        List<ConditionView> conds = reason == null
                ? List.of()
                : List.of(new ConditionView(
                        reason,
                        colour,
                        List.of("health-secret-" + reason),
                        since.toEpochMilli(),
                        0,
                        "two negative tests"));
        return new StatusChange(
                ALICE, colour, since.toEpochMilli(), conds, "2022.1", seq, at.toEpochMilli(), nationalId);
    }

    private static Event cityStay(String area, Instant from, Instant to) {
        return Event.builder("stay-" + area + "@" + from, EventType.CITY_STAY, to.toEpochMilli(), "440100")
                .personId(ALICE)
                .msisdn("phone-alice")
                .areaCode(area)
                .from(from.toEpochMilli())
                .to(to.toEpochMilli())
                .build();
    }

    private static Event trip(String toArea, Instant arrival) {
        return Event.builder("trip@" + arrival, EventType.TRIP, arrival.toEpochMilli(), "440100")
                .personId(ALICE)
                .mode("train")
                .vehicleId("G100@2022-04-05")
                .fromArea("440106")
                .toArea(toArea)
                .departure(arrival.toEpochMilli() - 3_600_000)
                .arrival(arrival.toEpochMilli())
                .build();
    }

    private void send(StatusChange s) throws Exception {
        h.processElement1(new StreamRecord<>(s, s.effectiveMs()));
    }

    private void send(Event e) throws Exception {
        h.processElement2(new StreamRecord<>(e, e.time()));
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void aRedPersonWhoseCarrierStayIsInShanghaiIsPushedThereWithTheMinimalRecord() throws Exception {
        try (var t = harness()) {
            send(status("red", "positive_test", FOUND, FOUND, 1, "nat-alice"));
            assertThat(t.extractOutputValues()).isEmpty();
            send(cityStay("310104", plusDays(MONDAY_9AM, 1), plusHours(plusDays(MONDAY_9AM, 1), 6)));
            ExchangeRequest r = t.extractOutputValues().get(0);
            assertThat(t.extractOutputValues()).hasSize(1);
            assertThat(r)
                    .isEqualTo(new ExchangeRequest(
                            GUANGDONG,
                            SHANGHAI,
                            "nat-alice",
                            "red",
                            "infection",
                            FOUND.toEpochMilli(),
                            plusHours(plusDays(MONDAY_9AM, 1), 6).toEpochMilli() + 14 * DAY));
            String json = ExchangeRequestJson.toJson(r);
            assertThat(json)
                    .contains(
                            "\"toRegion\":\"310000\"",
                            "\"nationalId\":\"nat-alice\"",
                            "\"reasonCategory\":\"infection\"",
                            "\"idempotencyKey\":\"" + ExchangeRequestJson.idempotencyKey(r))
                    .doesNotContain("positive_test", "health-secret", "\"" + ALICE + "\"");
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(json)
                            .fieldNames())
                    .toIterable()
                    .containsExactly(
                            "idempotencyKey",
                            "fromRegion",
                            "toRegion",
                            "nationalId",
                            "colour",
                            "reasonCategory",
                            "since",
                            "expiry");
            // the next daily stay there pushes nothing new while the record is fresh
            send(cityStay("310104", plusDays(MONDAY_9AM, 2), plusHours(plusDays(MONDAY_9AM, 2), 6)));
            assertThat(t.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void aStayBeforeThePersonTurnsRedCountsForAWeek() throws Exception {
        try (var t = harness()) {
            send(trip("310115", MONDAY_9AM));
            send(status("yellow", "companion", plusDays(MONDAY_9AM, 3), plusDays(MONDAY_9AM, 3), 1, "nat-alice"));
            assertThat(t.extractOutputValues()).singleElement().satisfies(r -> {
                assertThat(r.toRegion()).isEqualTo(SHANGHAI);
                assertThat(r.colour()).isEqualTo("yellow");
                assertThat(r.reasonCategory()).isEqualTo("contact");
            });
            // a change of colour is pushed again
            send(status("red", "close_contact", plusDays(MONDAY_9AM, 4), plusDays(MONDAY_9AM, 4), 2, "nat-alice"));
            assertThat(t.extractOutputValues())
                    .extracting(ExchangeRequest::colour)
                    .containsExactly("yellow", "red");
            // a stay more than a week before does not count
            send(status("red", "close_contact", plusDays(MONDAY_9AM, 4), plusDays(MONDAY_9AM, 12), 3, "nat-alice"));
            assertThat(t.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void staysInItsOwnRegionAndPersonsWithoutANationalPseudonymAreNotPushed() throws Exception {
        try (var t = harness()) {
            send(status("red", "positive_test", FOUND, FOUND, 1, "nat-alice"));
            send(cityStay("440305", MONDAY_9AM, plusHours(MONDAY_9AM, 6))); // Shenzhen: another region by the directory
            send(cityStay("440106", MONDAY_9AM, plusHours(MONDAY_9AM, 6))); // Guangzhou: home
            assertThat(t.extractOutputValues())
                    .extracting(ExchangeRequest::toRegion)
                    .containsExactly("440300");
        }
        try (var t = harness()) {
            send(status("red", "positive_test", FOUND, FOUND, 1, null));
            send(cityStay("310104", MONDAY_9AM, plusHours(MONDAY_9AM, 6)));
            assertThat(t.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aHotelCheckInInHangzhouPushesToZhejiangUntilAWeekAfterCheckOut() throws Exception {
        try (var t = harness()) {
            Instant checkIn = plusDays(MONDAY_9AM, 1);
            Instant checkOut = plusDays(MONDAY_9AM, 2);
            send(Event.builder("hotel-1", EventType.HOTEL_CHECKIN, checkIn.toEpochMilli(), "330100")
                    .personId(ALICE)
                    .hotelId("H-7")
                    .areaCode("330106")
                    .checkOut(checkOut.toEpochMilli())
                    .build());
            send(status("yellow", "fever_clinic", plusDays(checkOut, 6), plusDays(checkOut, 6), 1, "nat-alice"));
            send(status("red", "positive_test", plusDays(checkOut, 8), plusDays(checkOut, 8), 2, "nat-alice"));
            assertThat(t.extractOutputValues()).singleElement().satisfies(r -> {
                assertThat(r.toRegion()).isEqualTo("330000");
                assertThat(r.colour()).isEqualTo("yellow");
                assertThat(r.reasonCategory()).isEqualTo("other");
            });
        }
    }

    @Test
    void aPersonRedOnlyBecauseAnotherRegionSaidSoIsNotPushedOn() throws Exception {
        try (var t = harness()) {
            send(status("red", "cross_region_risk", FOUND, FOUND, 1, "nat-alice"));
            send(cityStay("310104", MONDAY_9AM, plusHours(MONDAY_9AM, 6)));
            assertThat(t.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void turningGreenWithdrawsWhatWasPushedAndStateEnds() throws Exception {
        try (var t = harness()) {
            send(status("red", "positive_test", FOUND, FOUND, 1, "nat-alice"));
            send(cityStay("310104", MONDAY_9AM, plusHours(MONDAY_9AM, 6)));
            Instant cleared = plusDays(MONDAY_9AM, 3);
            send(status("green", null, cleared, cleared, 2, "nat-alice"));
            assertThat(t.extractOutputValues())
                    .extracting(ExchangeRequest::colour)
                    .containsExactly("red", "green");
            assertThat(t.extractOutputValues().get(1).toRegion()).isEqualTo(SHANGHAI);
            // a second green status withdraws nothing more
            send(status("green", null, cleared, plusDays(cleared, 1), 3, "nat-alice"));
            assertThat(t.extractOutputValues()).hasSize(2);
            t.processWatermark1(new Watermark(plusDays(MONDAY_9AM, 30).toEpochMilli()));
            t.processWatermark2(new Watermark(plusDays(MONDAY_9AM, 30).toEpochMilli()));
            assertThat(stateEntries()).isZero();
        }
    }

    @Test
    void theDirectoryMapsAreaCodesToRegionsAndReportsBadLines() {
        List<String> problems = new java.util.ArrayList<>();
        RegionDirectory d = RegionDirectory.parse(List.of("4403 440300", "31 310000", "bad line", "12 3"), problems);
        assertThat(d.regionOf("440305")).isEqualTo("440300");
        assertThat(d.regionOf("440106")).isEqualTo("440000");
        assertThat(d.regionOf("310104")).isEqualTo("310000");
        assertThat(d.regionOf("31010")).isNull();
        assertThat(problems)
                .containsExactly(
                        "line 3: expected 'prefix region' (1-6 digits, 6 digits)",
                        "line 4: expected 'prefix region' (1-6 digits, 6 digits)");
    }
}
