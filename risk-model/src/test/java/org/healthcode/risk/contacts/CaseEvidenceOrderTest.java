package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.contacts.ContactFixtures.CAROL;
import static org.healthcode.risk.contacts.ContactFixtures.flight;
import static org.healthcode.risk.contacts.ContactFixtures.plusMinutes;
import static org.healthcode.risk.contacts.ContactFixtures.scan;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.confirmed;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sources.FeedWatermarks;
import org.healthcode.risk.sources.NeverHoldsBackTime;
import org.healthcode.risk.testing.LiveWorkflow;
import org.healthcode.risk.testing.StatusDescriptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case is found at the earliest of its positive single-tube tests and confirmed/asymptomatic diagnoses, whatever
 * order they arrive in: the venue and vehicle contacts of the case take that time, live (watermarks, the early test
 * arriving after the diagnosis and a day late) as in order, and a visit that the earlier found time leaves outside the
 * case's window stops being a contact.
 */
class CaseEvidenceOrderTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path checkpoints;

    private static final String VENUE = "venue:market";
    private static final String DAVE = ContactFixtures.DAVE;
    /** Monday 05:00, sampled: the case is found then. */
    private static final Instant TEST = plusHours(MONDAY_9AM, -4);
    /** Monday 11:00: the diagnosis, later than the test. */
    private static final Instant DIAGNOSIS = plusHours(MONDAY_9AM, 2);

    private static final Instant SUNDAY_8PM = plusHours(MONDAY_9AM, -13);

    private static List<Event> city() {
        return List.of(
                scan(ALICE, VENUE, SUNDAY_8PM),
                scan(BOB, VENUE, plusMinutes(SUNDAY_8PM, 10)),
                flight(ALICE, 10, plusHours(SUNDAY_8PM, -2), plusHours(SUNDAY_8PM, -1)),
                flight(DAVE, 11, plusHours(SUNDAY_8PM, -2), plusHours(SUNDAY_8PM, -1)),
                // after the test, before the diagnosis: inside the window only while the diagnosis is all there is
                scan(ALICE, VENUE, plusHours(MONDAY_9AM, -1)),
                scan(CAROL, VENUE, plusMinutes(plusHours(MONDAY_9AM, -1), 10)),
                positivePcr(ALICE, TEST),
                confirmed(ALICE, DIAGNOSIS),
                // moves event time a day on
                feverClinicVisit("erin", plusDays(MONDAY_9AM, 1)));
    }

    @Test
    void theCasesContactsTakeItsEarliestEvidenceWhateverOrderItArrivesIn() throws Exception {
        List<Event> inOrder = new ArrayList<>(city());
        inOrder.sort(Comparator.comparingLong(Event::time));
        List<Event> testLast = new ArrayList<>(inOrder);
        Event test = positivePcr(ALICE, TEST);
        testLast.removeIf(e -> e.eventId().equals(test.eventId()));
        testLast.add(test);

        Map<String, String> ordered = finalStatuses(inOrder);
        Map<String, String> late = finalStatuses(testLast);

        assertThat(ordered.get(BOB)).startsWith("yellow since " + TEST + " | venue_co_visit yellow start " + TEST);
        assertThat(ordered.get(DAVE)).contains("| same_vehicle yellow start " + TEST); // red 7 d, then yellow
        assertThat(ordered.get(CAROL)).isEqualTo("green");
        assertThat(late).isEqualTo(ordered);
    }

    /** Each person's last status: colour, and unless green, since and every condition. */
    private Map<String, String> finalStatuses(List<Event> events) throws Exception {
        List<FeedRecord> records = new ArrayList<>();
        for (Event e : events) {
            records.add(FeedRecord.ofLine(
                    Decoded.ok(e), records.size() + 1, e.eventId().getBytes(StandardCharsets.UTF_8)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(RiskJobConfig.checkpointing(checkpoints, Duration.ofSeconds(1)));
        env.setParallelism(2);
        DataStream<RuleSetUpdate> rules = env.fromData(RuleSetUpdate.ofFile(RuleSet.defaultJson()))
                .assignTimestampsAndWatermarks(NeverHoldsBackTime.strategy());
        List<CloseableIterator<StatusChange>> sink = new ArrayList<>();
        LiveWorkflow.define(
                env,
                records,
                FeedWatermarks.outOfOrder(Duration.ofDays(30)),
                RuleSet.defaults(),
                rules,
                ContactRules.defaults(),
                (statuses, rejected, audit) -> sink.add(statuses.collectAsync()));
        env.executeAsync("case evidence order").getJobExecutionResult().get();
        Map<String, StatusChange> last = new TreeMap<>();
        sink.get(0).forEachRemaining(s -> last.merge(s.personId(), s, (a, b) -> b.seq() > a.seq() ? b : a));
        Map<String, String> out = new TreeMap<>();
        for (String p : List.of(ALICE, BOB, CAROL, DAVE)) {
            StatusChange s = last.get(p);
            out.put(p, s == null ? "green" : describe(s));
        }
        return out;
    }

    private static String describe(StatusChange s) {
        if (s.colour().equals("green") && s.conditions().isEmpty()) {
            return "green";
        }
        return StatusDescriptions.describe(s);
    }
}
