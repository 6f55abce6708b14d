package org.healthcode.risk.crossregion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.CrossRegionFixtures.GUANGDONG;
import static org.healthcode.risk.testing.CrossRegionFixtures.SHANGHAI;
import static org.healthcode.risk.testing.CrossRegionFixtures.nationalIdentity;
import static org.healthcode.risk.testing.CrossRegionFixtures.riskPerson;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
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
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sinks.StatusRecords;
import org.healthcode.risk.sources.FeedWatermarks;
import org.healthcode.risk.sources.NeverHoldsBackTime;
import org.healthcode.risk.testing.LiveWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole workflow (MiniCluster, RocksDB state) as two regions run it: Guangdong's job asks to push its red
 * traveller to Shanghai from a carrier city stay there; Shanghai's job turns the same person (its own pseudonym,
 * the same national pseudonym) red from the record its inbox wrote, and names them nationally in its status.
 */
class CrossRegionWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final String NATIONAL = "nat-traveller";
    private static final Instant IN_SHANGHAI = plusDays(MONDAY_9AM, 1);

    @TempDir
    Path checkpoints;

    @Test
    void guangdongAsksToPushItsRedTravellerToShanghaiFromACarrierStayThere() throws Exception {
        List<Event> guangdong = List.of(
                nationalIdentity("gd-traveller", NATIONAL, "440106", MONDAY_9AM),
                positivePcr("gd-traveller", plusHours(MONDAY_9AM, 2)),
                Event.builder(
                                "stay-1",
                                EventType.CITY_STAY,
                                plusHours(IN_SHANGHAI, 6).toEpochMilli(),
                                "440100")
                        .msisdn("phone-gd-traveller")
                        .areaCode("310104")
                        .from(IN_SHANGHAI.toEpochMilli())
                        .to(plusHours(IN_SHANGHAI, 6).toEpochMilli())
                        .build(),
                // a stay at home asks nothing
                Event.builder(
                                "stay-0",
                                EventType.CITY_STAY,
                                plusHours(MONDAY_9AM, 8).toEpochMilli(),
                                "440100")
                        .msisdn("phone-gd-traveller")
                        .areaCode("440106")
                        .from(MONDAY_9AM.toEpochMilli())
                        .to(plusHours(MONDAY_9AM, 8).toEpochMilli())
                        .build());
        Result r = run(guangdong, ExchangeSettings.of(GUANGDONG, RegionDirectory.provinces()));
        assertThat(r.requests).singleElement().satisfies(q -> {
            assertThat(q.fromRegion()).isEqualTo(GUANGDONG);
            assertThat(q.toRegion()).isEqualTo(SHANGHAI);
            assertThat(q.nationalId()).isEqualTo(NATIONAL);
            assertThat(q.colour()).isEqualTo("red");
            assertThat(q.reasonCategory()).isEqualTo("infection");
            assertThat(q.sinceMs()).isEqualTo(plusHours(MONDAY_9AM, 2).toEpochMilli());
        });
        StatusRecord last = StatusRecords.toProto(r.statuses.get(r.statuses.size() - 1));
        assertThat(last.getNationalId()).isEqualTo(NATIONAL);
    }

    @Test
    void shanghaiTurnsTheSamePersonRedFromThePushedRecordWithoutGuangdongsReasons() throws Exception {
        Instant received = plusHours(IN_SHANGHAI, 7);
        List<Event> shanghai = List.of(
                riskPerson(
                        GUANGDONG,
                        NATIONAL,
                        "red",
                        "infection",
                        plusHours(MONDAY_9AM, 2),
                        plusDays(MONDAY_9AM, 15),
                        received),
                nationalIdentity("sh-traveller", NATIONAL, "310104", plusHours(received, 1)),
                riskPerson(
                        GUANGDONG, "nat-stranger", "red", "infection", MONDAY_9AM, plusDays(MONDAY_9AM, 15), received));
        Result r = run(shanghai, null);
        assertThat(r.requests).isEmpty();
        assertThat(r.statuses).extracting(StatusChange::personId).containsOnly("sh-traveller");
        StatusChange red = r.statuses.get(0);
        assertThat(red.colour()).isEqualTo("red");
        assertThat(red.nationalId()).isEqualTo(NATIONAL);
        assertThat(red.conditions()).singleElement().satisfies(c -> {
            assertThat(c.reason()).isEqualTo("cross_region_risk");
            assertThat(c.cause().toString()).doesNotContain("positive", "test", "gd-traveller");
        });
        assertThat(r.statuses.get(r.statuses.size() - 1).colour()).isEqualTo("green"); // expired by the end of input
    }

    private record Result(List<StatusChange> statuses, List<ExchangeRequest> requests) {}

    private Result run(List<Event> events, ExchangeSettings exchange) throws Exception {
        List<FeedRecord> input = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            input.add(FeedRecord.ofLine(Decoded.ok(e), i + 1, e.eventId().getBytes(StandardCharsets.UTF_8)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(RiskJobConfig.checkpointing(checkpoints, Duration.ofSeconds(1)));
        env.setParallelism(2);
        DataStream<RuleSetUpdate> rules = env.fromData(RuleSetUpdate.ofFile(RuleSet.defaultJson()))
                .assignTimestampsAndWatermarks(NeverHoldsBackTime.strategy());
        List<CloseableIterator<StatusChange>> s = new ArrayList<>();
        List<CloseableIterator<ExchangeRequest>> q = new ArrayList<>();
        LiveWorkflow.define(
                env,
                input,
                FeedWatermarks.outOfOrder(Duration.ofDays(30)),
                RuleSet.defaults(),
                rules,
                ContactRules.defaults(),
                (statuses, rejected, audit) -> s.add(statuses.collectAsync()),
                exchange,
                requests -> q.add(requests.collectAsync()));
        env.executeAsync("cross-region workflow test").getJobExecutionResult().get();
        List<StatusChange> statuses = new ArrayList<>();
        s.get(0).forEachRemaining(statuses::add);
        statuses.sort(Comparator.comparing(StatusChange::personId).thenComparingLong(StatusChange::seq));
        List<ExchangeRequest> requests = new ArrayList<>();
        if (!q.isEmpty()) {
            q.get(0).forEachRemaining(requests::add);
        }
        return new Result(statuses, requests);
    }
}
