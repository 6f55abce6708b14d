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
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.contracts.vehicles.VehicleCases;
import org.healthcode.contracts.vehicles.VehicleProximity;
import org.healthcode.risk.events.PublishedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vehicles' case records: what is published (positions, no person), a case whose trip leaves its window (found
 * earlier) withdrawn, the end of life, and the self-check's reading of a record agreeing with the detector.
 */
class VehicleCaseBoardTest {
    private static final String TRAIN = "G6301@2022-04-04";
    private static final Instant DEPART = MONDAY_9AM;
    private static final Instant ARRIVE = plusHours(MONDAY_9AM, 1);
    private static final Instant FOUND = plusDays(MONDAY_9AM, 2);

    private KeyedOneInputStreamOperatorTestHarness<String, PersonActivity, PublishedRecord> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new VehicleCaseBoard(RULES), PersonActivity::place, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static PersonActivity trip(String person, String carriage) {
        return new PersonActivity(
                ActivityKind.TRIP,
                person,
                TRAIN,
                null,
                ms(DEPART),
                ms(ARRIVE),
                "trip:" + person,
                "train",
                true,
                carriage,
                null,
                null,
                null,
                null);
    }

    private static PersonActivity asCase(PersonActivity a, Instant found) {
        CaseFound c = new CaseFound(a.personId(), ms(found), null, ms(found), "test+:" + a.personId());
        return a.asCaseCopy(c, ms(found) - RULES.infectiousLeadMillis());
    }

    private void send(PersonActivity a) throws Exception {
        h.processElement(new StreamRecord<>(a, a.to()));
    }

    @Test
    void aCaseTripIsPublishedWithItsSeatAndWithoutThePerson() throws Exception {
        send(trip(BOB, "5")); // an ordinary passenger: not on the board
        assertThat(h.extractOutputValues()).isEmpty();
        send(asCase(trip(ALICE, "5"), FOUND));

        List<PublishedRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(TRAIN);
        assertThat(out.get(0).json()).doesNotContain(ALICE, "trip:", "test+");
        VehicleCases v = VehicleCases.parse(out.get(0).json());
        assertThat(v.cases())
                .containsExactly(
                        new VehicleCases.CaseTrip("train", true, "5", null, ms(DEPART), ms(ARRIVE), ms(FOUND)));
        send(asCase(trip(ALICE, "5"), FOUND)); // the same copy again changes nothing
        assertThat(h.extractOutputValues()).hasSize(1);
    }

    @Test
    void aCaseFoundBeforeItsTripIsWithdrawnFromTheVehicle() throws Exception {
        send(asCase(trip(ALICE, "5"), FOUND));
        // an earlier positive sample: found before the train left, so the trip is outside the case's window
        send(asCase(trip(ALICE, "5"), plusHours(DEPART, -2)));

        List<PublishedRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isEqualTo(PublishedRecord.tombstone(TRAIN));
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void theRecordIsRemovedWhenTheLookBackHasPassedAndTheStateGoesWithIt() throws Exception {
        send(asCase(trip(ALICE, "5"), FOUND));
        h.processWatermark(ms(FOUND) + RULES.lookBackMillis() + 3_600_000L);

        assertThat(h.extractOutputValues()).last().isEqualTo(PublishedRecord.tombstone(TRAIN));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void theSelfCheckReadingOfARecordGivesTheDetectorsAnswerForEverySeat() throws Exception {
        SameVehicleDetector detector = new SameVehicleDetector(RULES);
        List<String> disagreements = new ArrayList<>();
        String[] modes = {"flight", "train", "bus", "ship"};
        Boolean[] sealed = {null, true, false};
        String[] carriages = {null, "5", "6"};
        Integer[] rows = {null, 10, 13, 14, 7, 6};
        for (String mode : modes) {
            for (Boolean s : sealed) {
                for (String cc : carriages) {
                    for (Integer cr : rows) {
                        for (String c : carriages) {
                            for (Integer r : rows) {
                                PersonActivity caseTrip = seat(ALICE, mode, s, cc, cr);
                                PersonActivity other = seat(BOB, mode, s, c, r);
                                ExposureKind kind = detector.classify(caseTrip, other);
                                VehicleProximity.Proximity p =
                                        VehicleProximity.classify(mode, s, cc, cr, c, r, RULES.flightRowWindow());
                                ExposureKind fromCheck = switch (p) {
                                    case CLOSE -> ExposureKind.SAME_VEHICLE_CLOSE;
                                    case REST -> ExposureKind.SAME_VEHICLE_REST;
                                    case NONE -> null;
                                };
                                if (kind != fromCheck) {
                                    disagreements.add(mode + s + cc + cr + c + r);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    private static PersonActivity seat(String person, String mode, Boolean sealed, String carriage, Integer row) {
        return new PersonActivity(
                ActivityKind.TRIP,
                person,
                "V@2022-04-04",
                null,
                ms(DEPART),
                ms(ARRIVE),
                "trip:" + person,
                mode,
                sealed,
                carriage,
                row,
                null,
                null,
                null);
    }
}
