package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.healthcode.risk.contacts.ContactFixtures.ALICE_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.BOB_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.CAROL;
import static org.healthcode.risk.contacts.ContactFixtures.CAROL_PHONE;
import static org.healthcode.risk.contacts.ContactFixtures.DAVE;
import static org.healthcode.risk.contacts.ContactFixtures.HOME_CELL;
import static org.healthcode.risk.contacts.ContactFixtures.bind;
import static org.healthcode.risk.contacts.ContactFixtures.flight;
import static org.healthcode.risk.contacts.ContactFixtures.pingsInCell;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.contacts.ContactFixtures.scan;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.healthcode.ingest.events.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole contact-detection dataflow on a MiniCluster over a bounded, deliberately disordered input. */
class ContactDetectionJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Instant FOUND = plusDays(MONDAY_9AM, 4);
    private static final String SHARED_PHONE = "phone-shared";
    private static final String MALL = "venue-mall-1";

    /**
     * The case's positive test comes first in the input and everyone's pings after it, duplicated: the companions
     * must be found from data that arrives after the case, and duplicates must change nothing.
     */
    private static List<Event> city() {
        List<Event> in = new ArrayList<>();
        Instant bound = plusDays(MONDAY_9AM, -30);
        in.add(positivePcr(ALICE, FOUND));
        in.add(bind(ALICE_PHONE, ALICE, bound));
        in.add(bind(BOB_PHONE, BOB, bound));
        in.add(bind(CAROL_PHONE, CAROL, bound));
        in.add(bind("phone-dave", DAVE, bound));
        in.add(bind(SHARED_PHONE, "frank", bound));
        in.add(bind(SHARED_PHONE, "erin", plusMinutes(MONDAY_9AM, 30)));
        // Alice at home 9:00-11:00
        in.addAll(pingsInCell(ALICE_PHONE, MONDAY_9AM, plusHours(MONDAY_9AM, 2), 5, 10, 20));
        // Bob 10:00-10:30 with her (30 min), every ping twice
        List<Event> bob = pingsInCell(BOB_PHONE, plusHours(MONDAY_9AM, 1), plusMinutes(MONDAY_9AM, 90), 5, 10, 20);
        in.addAll(bob);
        in.addAll(bob);
        // Carol 10:51-11:40: 9 minutes with her
        in.addAll(pingsInCell(CAROL_PHONE, plusMinutes(MONDAY_9AM, 111), plusMinutes(MONDAY_9AM, 160), 7, 10, 20));
        // Dave next door the whole time
        in.addAll(pingsInCell("phone-dave", MONDAY_9AM, plusHours(MONDAY_9AM, 2), 5, 11, 20));
        // the shared phone: Frank's until 9:30, Erin's after; in the cell 9:40-10:20
        in.addAll(pingsInCell(SHARED_PHONE, plusMinutes(MONDAY_9AM, 40), plusMinutes(MONDAY_9AM, 80), 10, 10, 20));
        // Tuesday at the mall: Bob 25 minutes after Alice, Carol 31 minutes after
        Instant mall = plusHours(plusDays(MONDAY_9AM, 1), 3);
        in.add(scan(ALICE, MALL, mall));
        in.add(scan(BOB, MALL, plusMinutes(mall, 25)));
        in.add(scan(CAROL, MALL, plusMinutes(mall, 31)));
        // Wednesday's flight: Alice row 12, Gina row 15, Hank row 20
        Instant dep = plusDays(MONDAY_9AM, 2);
        in.add(flight(ALICE, 12, dep, plusHours(dep, 3)));
        in.add(flight("gina", 15, dep, plusHours(dep, 3)));
        in.add(flight("hank", 20, dep, plusHours(dep, 3)));
        return in;
    }

    private static List<Exposure> detect(List<Event> input, ContactRules rules) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Event> events = env.fromData(input, TypeInformation.of(Event.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofDays(5))
                        .withTimestampAssigner((e, ts) -> e.time()))
                .setParallelism(1);
        List<Exposure> out = new ArrayList<>();
        try (CloseableIterator<Exposure> it =
                ContactDetection.apply(events, rules).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void findsExactlyThePlantedCompanionsCoVisitorsAndCoPassengers() throws Exception {
        List<Exposure> out = detect(city(), ContactRules.defaults().withLongStayClause(LongStayClause.OFF));

        assertThat(out)
                .extracting(Exposure::personId, Exposure::kind, Exposure::where)
                .containsExactlyInAnyOrder(
                        tuple(BOB, ExposureKind.COMPANION, HOME_CELL),
                        tuple("erin", ExposureKind.COMPANION, HOME_CELL),
                        tuple(BOB, ExposureKind.VENUE_CO_VISIT, MALL),
                        tuple("gina", ExposureKind.SAME_VEHICLE_CLOSE, "CZ3101@2022-04-01"),
                        tuple("hank", ExposureKind.SAME_VEHICLE_REST, "CZ3101@2022-04-01"));
        assertThat(out).allSatisfy(e -> assertThat(e.caseId()).isEqualTo(ALICE));
        assertThat(out)
                .filteredOn(e -> e.personId().equals(BOB) && e.kind() == ExposureKind.COMPANION)
                .singleElement()
                .satisfies(e -> assertThat(e.overlapMinutes()).isEqualTo(30));
    }

    @Test
    void underTheDefaultAndClauseHalfAnHourTogetherWithoutAThirtyHourStayIsNoCompanion() throws Exception {
        List<Exposure> out = detect(city(), ContactRules.defaults());
        assertThat(out)
                .extracting(Exposure::kind)
                .doesNotContain(ExposureKind.COMPANION)
                .hasSize(3);
    }
}
