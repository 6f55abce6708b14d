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
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
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
        return detect(
                input,
                rules,
                WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofDays(5))
                        .withTimestampAssigner((e, ts) -> e.time()));
    }

    private static List<Exposure> detect(List<Event> input, ContactRules rules, WatermarkStrategy<Event> watermarks)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Event> events = env.fromData(input, TypeInformation.of(Event.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks)
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

    /**
     * Dave is found at 10:40 while he and Ivan are still in his cell (9:00-11:00 and 9:30-11:00): a live job sees
     * their stays while open, so the companion is first found from part of the shared time and then revised.
     */
    private static List<Event> caseFoundDuringTheStays() {
        List<Event> in = new ArrayList<>(city());
        in.add(bind("phone-ivan", "ivan", plusDays(MONDAY_9AM, -30)));
        in.addAll(pingsInCell("phone-ivan", plusMinutes(MONDAY_9AM, 30), plusHours(MONDAY_9AM, 2), 5, 11, 20));
        in.add(positivePcr(DAVE, plusMinutes(MONDAY_9AM, 100)));
        in.sort(java.util.Comparator.comparingLong(Event::time)); // in time order, as a live feed brings it
        return in;
    }

    /**
     * Watermarks as a live job steps: one each time the input's event time enters a new {@code paceMillis} slot (a
     * watermark per ping at the finest); 0: none before the end of input, as in a replay.
     */
    private static WatermarkStrategy<Event> paced(long paceMillis) {
        if (paceMillis == 0) {
            return WatermarkStrategy.<Event>noWatermarks().withTimestampAssigner((e, ts) -> e.time());
        }
        return WatermarkStrategy.<Event>forGenerator(ctx -> new WatermarkGenerator<>() {
                    private long slot = Long.MIN_VALUE;

                    @Override
                    public void onEvent(Event e, long ts, WatermarkOutput out) {
                        long s = Math.floorDiv(e.time(), paceMillis);
                        if (s > slot) {
                            out.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(e.time() - 1));
                            slot = s;
                        }
                    }

                    @Override
                    public void onPeriodicEmit(WatermarkOutput out) {}
                })
                .withTimestampAssigner((e, ts) -> e.time());
    }

    /** The exposures that stand at the end: the latest version of each id, withdrawals removed. */
    private static Map<String, Exposure> standing(List<Exposure> out) {
        Map<String, Exposure> last = new TreeMap<>();
        for (Exposure e : out) {
            last.put(e.exposureId(), e);
        }
        last.values().removeIf(Exposure::withdrawn);
        return last;
    }

    @Test
    void fiveLiveRunsAtDifferentWatermarkPacesEndWithTheReplaysExposures() throws Exception {
        ContactRules rules = ContactRules.defaults().withLongStayClause(LongStayClause.OFF);
        List<Event> in = caseFoundDuringTheStays();
        Map<String, Exposure> replay = standing(detect(in, rules, paced(0)));
        assertThat(replay.values())
                .filteredOn(e -> e.personId().equals("ivan"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.caseId()).isEqualTo(DAVE);
                    assertThat(e.overlapMinutes()).isEqualTo(70); // 9:30 until Dave was found
                });

        for (long pace : new long[] {1, 60_000, 5 * 60_000, 3_600_000, 86_400_000}) {
            List<Exposure> live = detect(in, rules, paced(pace));
            assertThat(standing(live))
                    .as("exposures at a watermark pace of %d ms", pace)
                    .isEqualTo(replay);
            if (pace == 5 * 60_000) {
                assertThat(live)
                        .as("the open stays were seen: the companion found from part of the shared time first")
                        .filteredOn(e -> e.personId().equals("ivan"))
                        .extracting(Exposure::overlapMinutes)
                        .first()
                        .isNotEqualTo(70L);
            }
        }
    }
}
