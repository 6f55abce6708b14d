package org.healthcode.risk.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.city.PlantedContact;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sources.FeedWatermarks;
import org.healthcode.risk.sources.NeverHoldsBackTime;
import org.healthcode.risk.testing.LiveWorkflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole risk job (RocksDB, checkpoints, default rules) on a synthetic city with a planted outbreak: the
 * companion, venue co-visit and same-vehicle conditions in the statuses are exactly the planted ones.
 *
 * <p>Why nothing else can show up: with planting on, the city's own cases stay in until found (no venue, no trip),
 * and in a 2-day city they are all found within 30 h of its start, so no phone can have the > 30 h in a cell that
 * the default AND clause asks for; the planted place, venue and flight are used by nobody else.
 */
class PlantedContactsJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Pseudonymiser PSEUDONYMS = new Pseudonymiser(RegionSecret.ofBytes(new byte[32]));
    private static final Map<String, String> REASON_OF_KIND = Map.of(
            "companion",
            "companion",
            "venue_co_visit",
            "venue_co_visit",
            "same_vehicle_close",
            "same_vehicle",
            "same_vehicle_rest",
            "same_vehicle_rest");

    @TempDir
    Path checkpoints;

    @Test
    void theWholeJobFindsExactlyThePlantedCompanionsCoVisitorsAndCoPassengers() throws Exception {
        SyntheticCity city = new SyntheticCity(CityConfig.of(1000, 2, 11));
        List<PlantedContact> planted = city.groundTruth().planted();
        assertThat(planted)
                .extracting(PlantedContact::expected)
                .contains(
                        "companion", "venue_co_visit", "same_vehicle_close", "same_vehicle_rest", PlantedContact.NONE);

        List<StatusChange> statuses = runWholeJob(city);

        String caseId = personId(city, city.plantedCase());
        GridProjection grid = GridProjection.of(ContactRules.defaults());
        Set<String> expected = new TreeSet<>();
        Set<String> expectedExposureIds = new TreeSet<>();
        for (PlantedContact c : planted) {
            if (c.isNearMiss()) {
                continue;
            }
            String person = personId(city, c.person());
            expected.add(person + " " + REASON_OF_KIND.get(c.expected()));
            String where = c.place() != null ? c.place() : grid.cellOf(c.lat(), c.lon());
            expectedExposureIds.add(Exposure.idFor(
                    caseId, person, ExposureKind.fromWire(c.expected()).orElseThrow(), where));
        }
        Set<String> found = new TreeSet<>();
        Set<String> causes = new TreeSet<>();
        for (StatusChange s : statuses) {
            for (ConditionView c : s.conditions()) {
                if (REASON_OF_KIND.containsValue(c.reason())) {
                    found.add(s.personId() + " " + c.reason());
                    causes.addAll(c.cause());
                }
            }
        }
        assertThat(found).as("contact conditions in the statuses").isEqualTo(expected);
        assertThat(causes)
                .as("the exposures behind them (case, person, kind, cell/venue/vehicle)")
                .isEqualTo(expectedExposureIds);
        assertThat(statuses).anySatisfy(s -> {
            assertThat(s.personId()).isEqualTo(caseId);
            assertThat(s.conditions()).extracting(ConditionView::reason).contains("positive_test");
        });
    }

    private static String personId(SyntheticCity city, int resident) {
        return PSEUDONYMS.personId(city.resident(resident).idNumber());
    }

    private List<StatusChange> runWholeJob(SyntheticCity city) throws Exception {
        StandardEventDecoder decoder = new StandardEventDecoder(PSEUDONYMS);
        List<FeedRecord> records = new ArrayList<>();
        city.run(new CitySink() {
            @Override
            public void accept(Feed feed, org.healthcode.ingest.proto.Event event) {
                long line = records.size() + 1;
                Decoded d = decoder.decodeProto(event.toByteArray(), feed.name(), 0, line);
                records.add(FeedRecord.ofLine(d, line, new byte[0]));
            }

            @Override
            public void acceptGarbage(Feed feed, String key) {}

            @Override
            public void close() {}
        });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(RiskJobConfig.checkpointing(checkpoints, Duration.ofSeconds(2)));
        env.setParallelism(2);
        DataStream<RuleSetUpdate> ruleUpdates = env.fromData(RuleSetUpdate.ofFile(RuleSet.defaultJson()))
                .assignTimestampsAndWatermarks(NeverHoldsBackTime.strategy());
        List<CloseableIterator<StatusChange>> sink = new ArrayList<>();
        LiveWorkflow.define(
                env,
                records,
                FeedWatermarks.outOfOrder(Duration.ofSeconds(5)),
                RuleSet.defaults(),
                ruleUpdates,
                ContactRules.defaults(),
                (statuses, rejected, audit) -> sink.add(statuses.collectAsync()));
        env.executeAsync("planted contacts").getJobExecutionResult().get();
        List<StatusChange> out = new ArrayList<>();
        try (CloseableIterator<StatusChange> it = sink.get(0)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
