package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.CAROL;
import static org.healthcode.risk.contacts.ContactFixtures.RULES;
import static org.healthcode.risk.contacts.ContactFixtures.ms;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Venue co-visits: scans within 30 minutes of a case's scan, inclusive, in either arrival order. */
class VenueCoVisitDetectorTest {

    private static final String MALL = "venue-mall-1";
    private static final Instant FOUND = plusDays(MONDAY_9AM, 2);

    private KeyedOneInputStreamOperatorTestHarness<String, PersonActivity, Exposure> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new VenueCoVisitDetector(RULES), PersonActivity::place, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static PersonActivity scanAt(String person, Instant t) {
        return new PersonActivity(
                ActivityKind.SCAN,
                person,
                MALL,
                null,
                ms(t),
                ms(t),
                "scan:" + person + "@" + t,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static PersonActivity caseScanAt(String person, Instant t) {
        CaseFound c = new CaseFound(person, ms(FOUND), null, ms(FOUND), "test+:" + person);
        return scanAt(person, t).asCaseCopy(c, ms(FOUND) - RULES.infectiousLeadMillis());
    }

    private List<Exposure> send(PersonActivity... scans) throws Exception {
        for (PersonActivity a : scans) {
            h.processElement(new StreamRecord<>(a, a.from()));
        }
        return h.extractOutputValues();
    }

    @Test
    void scansThirtyMinutesBeforeAndAfterTheCasesScanAreCoVisitsAndThirtyOneAreNot() throws Exception {
        List<Exposure> out = send(
                scanAt(BOB, plusMinutes(MONDAY_9AM, -30)),
                scanAt(CAROL, plusMinutes(MONDAY_9AM, 30)),
                scanAt("dave", plusMinutes(MONDAY_9AM, -31)),
                scanAt("erin", plusMinutes(MONDAY_9AM, 31)),
                caseScanAt(ALICE, MONDAY_9AM));

        assertThat(out).extracting(Exposure::personId).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(out).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(ExposureKind.VENUE_CO_VISIT);
            assertThat(e.where()).isEqualTo(MALL);
            assertThat(e.caseId()).isEqualTo(ALICE);
        });
    }

    @Test
    void aScanArrivingAfterTheCaseGivesTheSameCoVisit() throws Exception {
        List<Exposure> caseFirst = send(caseScanAt(ALICE, MONDAY_9AM), scanAt(BOB, plusMinutes(MONDAY_9AM, 10)));
        h.close();
        open();
        List<Exposure> scanFirst = send(scanAt(BOB, plusMinutes(MONDAY_9AM, 10)), caseScanAt(ALICE, MONDAY_9AM));
        assertThat(caseFirst).hasSize(1).isEqualTo(scanFirst);
        assertThat(caseFirst.get(0).start()).isEqualTo(ms(MONDAY_9AM));
        assertThat(caseFirst.get(0).end()).isEqualTo(ms(plusMinutes(MONDAY_9AM, 10)));
    }

    @Test
    void aPersonScanningTwiceNearTheCaseIsReportedOnce() throws Exception {
        assertThat(send(
                        caseScanAt(ALICE, MONDAY_9AM),
                        scanAt(BOB, plusMinutes(MONDAY_9AM, 5)),
                        scanAt(BOB, plusMinutes(MONDAY_9AM, 20)),
                        scanAt(BOB, plusMinutes(MONDAY_9AM, 5))))
                .hasSize(1);
    }

    @Test
    void stateAndTimersAreGoneOnceTheLookBackWindowHasPassed() throws Exception {
        send(caseScanAt(ALICE, MONDAY_9AM), scanAt(BOB, plusMinutes(MONDAY_9AM, 5)));
        assertThat(h.numKeyedStateEntries()).isEqualTo(3);
        h.processWatermark(ms(FOUND) + RULES.lookBackMillis() + PlaceMatchDetector.CLEANUP_GRANULARITY);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void aCaseFoundEarlierRevisesItsCoVisitsAndWithdrawsThoseItsWindowNoLongerHolds() throws Exception {
        Instant earlier = plusDays(MONDAY_9AM, 1);
        CaseFound byDiagnosis = new CaseFound(ALICE, ms(FOUND), null, null, "diagnosis:" + ALICE);
        CaseFound byTest = new CaseFound(ALICE, ms(earlier), null, ms(earlier), "test+:" + ALICE);
        PersonActivity monday = scanAt(ALICE, MONDAY_9AM);
        // between the test and the diagnosis: inside the window only while the diagnosis is all there is
        PersonActivity tuesday = scanAt(ALICE, plusDays(MONDAY_9AM, 1).plusSeconds(3600));
        send(
                monday.asCaseCopy(byDiagnosis, ms(FOUND) - RULES.infectiousLeadMillis()),
                tuesday.asCaseCopy(byDiagnosis, ms(FOUND) - RULES.infectiousLeadMillis()),
                scanAt(BOB, plusMinutes(MONDAY_9AM, 10)),
                scanAt(CAROL, plusMinutes(Instant.ofEpochMilli(tuesday.from()), 10)));
        List<Exposure> before = List.copyOf(h.extractOutputValues());
        assertThat(before)
                .extracting(Exposure::personId, Exposure::caseFound)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(BOB, ms(FOUND)),
                        org.assertj.core.groups.Tuple.tuple(CAROL, ms(FOUND)));

        // the earlier test arrives: the person index sends the case's visits again with the case as it is now
        long windowStart = ms(earlier) - RULES.infectiousLeadMillis();
        List<Exposure> after = send(monday.asCaseCopy(byTest, windowStart), tuesday.asCaseCopy(byTest, windowStart));
        List<Exposure> revisions = after.subList(before.size(), after.size());
        Exposure bob = revisions.stream()
                .filter(e -> e.personId().equals(BOB))
                .reduce((a, b) -> b)
                .orElseThrow();
        Exposure carol = revisions.stream()
                .filter(e -> e.personId().equals(CAROL))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(bob.withdrawn()).isFalse();
        assertThat(bob.caseFound()).isEqualTo(ms(earlier));
        assertThat(bob.causeEventIds()).startsWith("test+:" + ALICE);
        assertThat(carol.withdrawn()).isTrue();
        assertThat(carol.exposureId())
                .isEqualTo(before.stream()
                        .filter(e -> e.personId().equals(CAROL))
                        .findFirst()
                        .orElseThrow()
                        .exposureId());
    }
}
