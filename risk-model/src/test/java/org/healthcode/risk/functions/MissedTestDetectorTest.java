package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.BOB;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.identity;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;
import static org.healthcode.risk.testing.Fixtures.testCampaign;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.CampaignCheck;
import org.healthcode.risk.events.MissedTest;
import org.healthcode.risk.events.MissedTestInput;
import org.healthcode.risk.events.PersonInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Testing campaigns: who they concern (prefix coverage, either arrival order) and who missed an interval. */
class MissedTestDetectorTest {
    private static final Instant FROM = MONDAY_9AM;
    private static final Instant TO = plusDays(MONDAY_9AM, 3);
    /** Guangzhou (city level) tests everyone daily for three days; published the evening before. */
    private static final Event CITY_DAILY = testCampaign("440100", FROM, TO, 24, plusHours(FROM, -12));

    private static final Event ALICE_IN_TIANHE = identity(ALICE, "phone-a", "440106", plusDays(FROM, -30));

    private KeyedOneInputStreamOperatorTestHarness<String, MissedTestInput, PersonInput> h;

    @BeforeEach
    void open() throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new MissedTestDetector(), MissedTestInput::personId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(Event... events) throws Exception {
        for (Event e : events) {
            h.processElement(new StreamRecord<>(MissedTestInput.of(e), e.time()));
        }
    }

    private void check(String person, Event campaign) throws Exception {
        h.processElement(new StreamRecord<>(
                MissedTestInput.of(new CampaignCheck(
                        person,
                        campaign.eventId(),
                        campaign.areaCode(),
                        campaign.from(),
                        campaign.to(),
                        campaign.intervalHours())),
                campaign.time()));
    }

    private List<MissedTest> missed() {
        return h.extractOutputValues().stream().map(PersonInput::missedTest).toList();
    }

    private int stateEntries() {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void aPersonWithNoTestInAnIntervalMissesItAtTheIntervalsEnd() throws Exception {
        send(ALICE_IN_TIANHE, negativePcr(ALICE, plusHours(FROM, 2)), negativePcr(ALICE, plusHours(FROM, 50)));
        check(ALICE, CITY_DAILY);
        h.processWatermark(new Watermark(TO.toEpochMilli()));
        // tested in the first and third intervals, not in the second (Tuesday 09:00 to Wednesday 09:00)
        assertThat(missed()).singleElement().satisfies(m -> {
            assertThat(m.personId()).isEqualTo(ALICE);
            assertThat(m.intervalStartMs()).isEqualTo(plusDays(FROM, 1).toEpochMilli());
            assertThat(m.intervalEndMs()).isEqualTo(plusDays(FROM, 2).toEpochMilli());
            assertThat(m.campaignEventId()).isEqualTo(CITY_DAILY.eventId());
        });
    }

    @Test
    void aPersonBoundOutsideTheCampaignAreaAtTheIntervalsEndIsNotConcerned() throws Exception {
        send(
                identity(BOB, "phone-b", "440106", plusDays(FROM, -30)),
                identity(BOB, "phone-b", "440304", plusHours(FROM, 3))); // moved to Shenzhen on the first day
        check(BOB, CITY_DAILY);
        h.processWatermark(new Watermark(TO.toEpochMilli()));
        assertThat(missed()).isEmpty();
    }

    @Test
    void theCheckAndTheTestsAreForgottenAfterTheCampaignOnlyTheBindingStays() throws Exception {
        send(ALICE_IN_TIANHE, negativePcr(ALICE, plusHours(FROM, 2)));
        check(ALICE, CITY_DAILY);
        h.processWatermark(new Watermark(TO.toEpochMilli()));
        assertThat(missed()).hasSize(2);
        h.processWatermark(new Watermark(plusDays(FROM, 15).toEpochMilli()));
        assertThat(stateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void campaignsReachPersonsWhicheverArrivesFirstWithPrefixCoverage() throws Exception {
        Event districtCampaign = testCampaign("440106", FROM, TO, 24, FROM);
        Event cityLevelBinding = identity(BOB, "phone-b", "440100", plusDays(FROM, -30));
        try (KeyedBroadcastOperatorTestHarness<String, Event, Event, CampaignCheck> campaignFirst =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new CampaignAssigner(), Event::personId, Types.STRING, CampaignAssigner.CAMPAIGNS);
                KeyedBroadcastOperatorTestHarness<String, Event, Event, CampaignCheck> identityFirst =
                        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                                new CampaignAssigner(), Event::personId, Types.STRING, CampaignAssigner.CAMPAIGNS)) {
            campaignFirst.processBroadcastElement(CITY_DAILY, CITY_DAILY.time());
            campaignFirst.processBroadcastElement(districtCampaign, districtCampaign.time());
            campaignFirst.processElement(ALICE_IN_TIANHE, ALICE_IN_TIANHE.time());
            campaignFirst.processElement(cityLevelBinding, cityLevelBinding.time());

            identityFirst.processElement(ALICE_IN_TIANHE, ALICE_IN_TIANHE.time());
            identityFirst.processElement(cityLevelBinding, cityLevelBinding.time());
            identityFirst.processBroadcastElement(CITY_DAILY, CITY_DAILY.time());
            identityFirst.processBroadcastElement(districtCampaign, districtCampaign.time());

            // Alice (440106) is under both; Bob's city-level binding is under the city campaign only
            List<String> expected = List.of(
                    ALICE + " " + CITY_DAILY.eventId(),
                    ALICE + " " + districtCampaign.eventId(),
                    BOB + " " + CITY_DAILY.eventId());
            assertThat(campaignFirst.extractOutputValues())
                    .extracting(c -> c.personId() + " " + c.campaignEventId())
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(identityFirst.extractOutputValues())
                    .extracting(c -> c.personId() + " " + c.campaignEventId())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
