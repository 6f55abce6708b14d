package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.RULES;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Same-vehicle contacts: flight rows, sealed and unsealed trains, buses. */
class SameVehicleDetectorTest {

    private static final Instant DEPART = MONDAY_9AM;
    private static final Instant ARRIVE = plusHours(MONDAY_9AM, 3);
    private static final Instant FOUND = plusDays(MONDAY_9AM, 2);

    private KeyedOneInputStreamOperatorTestHarness<String, PersonActivity, Exposure> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new SameVehicleDetector(RULES), PersonActivity::place, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static PersonActivity trip(
            String person,
            String mode,
            String vehicle,
            Boolean sealed,
            String carriage,
            Integer row,
            Instant departure,
            Instant arrival) {
        return new PersonActivity(
                ActivityKind.TRIP,
                person,
                vehicle,
                null,
                ms(departure),
                ms(arrival),
                "trip:" + person + ":" + vehicle,
                mode,
                sealed,
                carriage,
                row,
                null,
                null,
                null);
    }

    private static PersonActivity asCase(PersonActivity a) {
        CaseFound c = new CaseFound(a.personId(), ms(FOUND), null, ms(FOUND), "test+:" + a.personId());
        return a.asCaseCopy(c, ms(FOUND) - RULES.infectiousLeadMillis());
    }

    private static PersonActivity seat(String person, int row) {
        return trip(person, "flight", "CZ3101@2022-04-04", null, null, row, DEPART, ARRIVE);
    }

    private List<Exposure> send(PersonActivity... trips) throws Exception {
        for (PersonActivity a : trips) {
            h.processElement(new StreamRecord<>(a, a.to()));
        }
        return h.extractOutputValues();
    }

    @Test
    void onAFlightRowsWithinThreeAreCloseContactsAndFourRowsAwayIsTheRest() throws Exception {
        List<Exposure> out =
                send(seat("row9", 9), seat("row15", 15), seat("row16", 16), seat("row8", 8), asCase(seat(ALICE, 12)));

        assertThat(out)
                .extracting(Exposure::personId, Exposure::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("row9", ExposureKind.SAME_VEHICLE_CLOSE),
                        org.assertj.core.groups.Tuple.tuple("row15", ExposureKind.SAME_VEHICLE_CLOSE),
                        org.assertj.core.groups.Tuple.tuple("row16", ExposureKind.SAME_VEHICLE_REST),
                        org.assertj.core.groups.Tuple.tuple("row8", ExposureKind.SAME_VEHICLE_REST));
        assertThat(out).allSatisfy(e -> {
            assertThat(e.end()).isEqualTo(ms(ARRIVE)); // the last exposure is the arrival
            assertThat(e.where()).isEqualTo("CZ3101@2022-04-04");
        });
    }

    @Test
    void aPassengerArrivingAfterTheCaseIsFoundTheSame() throws Exception {
        List<Exposure> caseFirst = send(asCase(seat(ALICE, 12)), seat(BOB, 13));
        h.close();
        open();
        assertThat(send(seat(BOB, 13), asCase(seat(ALICE, 12)))).hasSize(1).isEqualTo(caseFirst);
    }

    @Test
    void onASealedTrainTheCasesCarriageIsCloseAndTheRestOfTheTrainIsTheRest() throws Exception {
        String g = "G1001@2022-04-04";
        List<Exposure> out = send(
                trip(BOB, "train", g, true, "5", null, DEPART, ARRIVE),
                trip("carol", "train", g, true, "6", null, DEPART, ARRIVE),
                asCase(trip(ALICE, "train", g, true, "5", null, DEPART, ARRIVE)));
        assertThat(out)
                .extracting(Exposure::personId, Exposure::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(BOB, ExposureKind.SAME_VEHICLE_CLOSE),
                        org.assertj.core.groups.Tuple.tuple("carol", ExposureKind.SAME_VEHICLE_REST));
    }

    @Test
    void anUnsealedTrainMakesNoSameVehicleContact() throws Exception {
        String k = "K511@2022-04-04";
        assertThat(send(
                        trip(BOB, "train", k, false, "5", null, DEPART, ARRIVE),
                        asCase(trip(ALICE, "train", k, false, "5", null, DEPART, ARRIVE))))
                .isEmpty();
    }

    @Test
    void everyoneOnTheCasesBusIsACloseContact() throws Exception {
        String bus = "bus-B12@2022-04-04T09";
        assertThat(send(
                        trip(BOB, "bus", bus, null, null, null, DEPART, ARRIVE),
                        trip("carol", "bus", bus, null, null, null, plusHours(DEPART, 1), plusHours(DEPART, 2)),
                        asCase(trip(ALICE, "bus", bus, null, null, null, DEPART, ARRIVE))))
                .extracting(Exposure::kind)
                .containsOnly(ExposureKind.SAME_VEHICLE_CLOSE)
                .hasSize(2);
    }

    @Test
    void aPassengerWhoLeftBeforeTheCaseBoardedMetNoOne() throws Exception {
        String bus = "bus-B12@2022-04-04T09";
        assertThat(send(
                        trip(BOB, "bus", bus, null, null, null, DEPART, plusHours(DEPART, 1)),
                        asCase(trip(ALICE, "bus", bus, null, null, null, plusHours(DEPART, 1), ARRIVE))))
                .isEmpty();
    }

    @Test
    void stateAndTimersAreGoneOnceTheLookBackWindowHasPassed() throws Exception {
        send(asCase(seat(ALICE, 12)), seat(BOB, 13));
        assertThat(h.numKeyedStateEntries()).isEqualTo(3);
        h.processWatermark(ms(FOUND) + RULES.lookBackMillis() + PlaceMatchDetector.CLEANUP_GRANULARITY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
