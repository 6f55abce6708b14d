package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.closeContact;
import static org.healthcode.risk.testing.Fixtures.confirmed;
import static org.healthcode.risk.testing.Fixtures.discharged;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.positivePcr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sources.FeedWatermarks;
import org.healthcode.risk.sources.NeverHoldsBackTime;
import org.healthcode.risk.testing.Fixtures;
import org.healthcode.risk.testing.LiveWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole workflow on a MiniCluster with RocksDB state, over bounded input: order of arrival does not matter. */
class RiskWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir
    Path checkpoints;

    private static final List<Event> EVENTS = List.of(
            positivePcr(ALICE, MONDAY_9AM),
            confirmed(ALICE, plusDays(MONDAY_9AM, 1)),
            discharged(ALICE, plusDays(MONDAY_9AM, 12)),
            negativePcr(ALICE, plusDays(MONDAY_9AM, 13)),
            feverClinicVisit(BOB, MONDAY_9AM),
            closeContact(BOB, plusDays(MONDAY_9AM, 1), plusDays(MONDAY_9AM, 2)),
            negativePcr(BOB, plusDays(MONDAY_9AM, 3)),
            closeContact("carol", MONDAY_9AM, plusDays(MONDAY_9AM, 1)));

    @Test
    void outOfOrderInputGivesTheSameStatusesAsOrderedInput() throws Exception {
        List<FeedRecord> ordered = new ArrayList<>();
        for (int i = 0; i < EVENTS.size(); i++) {
            ordered.add(record(EVENTS.get(i), i + 1));
        }
        List<FeedRecord> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new Random(42));

        Result a = run(ordered, 2);
        Result b = run(shuffled, 2);
        assertThat(b.statuses).isEqualTo(a.statuses);
        assertThat(a.statuses).extracting(StatusChange::personId).contains(ALICE, BOB, "carol");
        assertThat(lastColour(a.statuses, ALICE)).isEqualTo("green");
        assertThat(lastColour(a.statuses, BOB)).isEqualTo("green");
        assertThat(lastColour(a.statuses, "carol")).isEqualTo("yellow");
    }

    @Test
    void duplicatesAreDroppedAndRejectedRecordsGoToTheRejectedOutput() throws Exception {
        Event visit = feverClinicVisit(BOB, MONDAY_9AM);
        Event sameIdOtherContent =
                positivePcr(BOB, plusDays(MONDAY_9AM, 1)).toBuilder().build();
        Event duplicate = Event.builder(
                        visit.eventId(), sameIdOtherContent.type(), sameIdOtherContent.time(), Fixtures.REGION)
                .personId(BOB)
                .method("pcr")
                .positive(true)
                .pooled(false)
                .build();
        Rejected bad =
                Rejected.ofLine(3, "malformed", null, "malformed: not JSON", "{oops".getBytes(StandardCharsets.UTF_8));
        // parallelism 1: the first copy is the first to arrive (copies are meant to be identical; see README)
        Result r = run(
                List.of(record(visit, 1), record(duplicate, 2), FeedRecord.ofLine(Decoded.rejected(bad), 3, bad.raw())),
                1);
        assertThat(r.statuses).extracting(StatusChange::colour).containsExactly("yellow");
        assertThat(r.rejected)
                .extracting(Rejected::line, Rejected::category)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "malformed"));
    }

    private static String lastColour(List<StatusChange> statuses, String person) {
        return statuses.stream()
                .filter(s -> s.personId().equals(person))
                .max(Comparator.comparingLong(StatusChange::seq))
                .orElseThrow()
                .colour();
    }

    private static FeedRecord record(Event e, long line) {
        return FeedRecord.ofLine(Decoded.ok(e), line, e.eventId().getBytes(StandardCharsets.UTF_8));
    }

    private record Result(List<StatusChange> statuses, List<Rejected> rejected) {}

    private Result run(List<FeedRecord> input, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(RiskJobConfig.checkpointing(checkpoints, Duration.ofSeconds(1)));
        env.setParallelism(parallelism);
        List<CloseableIterator<StatusChange>> s = new ArrayList<>();
        List<CloseableIterator<Rejected>> rj = new ArrayList<>();
        DataStream<RuleSetUpdate> rules = env.fromData(RuleSetUpdate.ofFile(RuleSet.defaultJson()))
                .assignTimestampsAndWatermarks(NeverHoldsBackTime.strategy());
        LiveWorkflow.define(
                env,
                input,
                FeedWatermarks.outOfOrder(Duration.ofDays(30)),
                RuleSet.defaults(),
                rules,
                ContactRules.defaults(),
                (statuses, rejected, audit) -> {
                    s.add(statuses.collectAsync());
                    rj.add(rejected.collectAsync());
                });
        env.executeAsync("workflow test").getJobExecutionResult().get();
        List<StatusChange> out = new ArrayList<>();
        s.get(0).forEachRemaining(out::add);
        List<Rejected> rejected = new ArrayList<>();
        rj.get(0).forEachRemaining(rejected::add);
        out.sort(Comparator.comparing(StatusChange::personId).thenComparingLong(StatusChange::seq));
        // the live job stamps the epoch of its state (the wall clock at a subtask's start) on every status: one a
        // person within a run, different between runs, so compared without it
        assertThat(out.stream().map(c -> c.personId() + "@" + c.epoch()).distinct())
                .hasSameSizeAs(
                        out.stream().map(StatusChange::personId).distinct().toList());
        out.replaceAll(c -> new StatusChange(
                c.personId(),
                c.colour(),
                c.sinceMs(),
                c.conditions(),
                c.ruleVersion(),
                c.seq(),
                c.effectiveMs(),
                c.nationalId(),
                0L));
        return new Result(out, rejected);
    }
}
