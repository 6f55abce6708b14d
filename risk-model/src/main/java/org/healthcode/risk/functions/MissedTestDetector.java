package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.CampaignCheck;
import org.healthcode.risk.events.MissedTest;
import org.healthcode.risk.events.MissedTestInput;
import org.healthcode.risk.events.PersonInput;

/**
 * Keyed by person: the missed mandatory test (应检未检). For every campaign that may concern the person, an
 * event-time timer at the end of each interval checks that the person was bound (latest identity binding at or
 * before the interval's end) to an area the campaign covers and had a test sampled in [start, end); if not, the
 * person gets a {@link MissedTest} at the end, which turns them yellow until any test result (rule {@code missed_test}).
 *
 * <p>State end of life: a campaign check leaves after its last interval; test sampling times are kept
 * {@link #TEST_RETENTION_MS} (cleanup timer; so an interval longer than that only sees its last 14 days of tests)
 * and at most {@link #MAX_TESTS}; {@code bindings} keeps the person's latest {@link #MAX_BINDINGS} identity
 * bindings while they have one. A test that arrives after its interval's timer fired (late, within the allowed
 * lateness) does not undo the yellow, but being sampled before it, it does not end it either: a new test does.
 */
public class MissedTestDetector extends KeyedProcessFunction<String, MissedTestInput, PersonInput> {
    public static final long TEST_RETENTION_MS = 14L * 24 * 3_600_000L;
    static final int MAX_TESTS = 16;
    static final int MAX_BINDINGS = 3;

    private transient MapState<String, CampaignCheck> checks;
    private transient ValueState<List<Long>> tests;
    private transient BindingHistory bindings;

    @Override
    public void open(OpenContext openContext) {
        checks = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("checks", Types.STRING, TypeInformation.of(CampaignCheck.class)));
        tests = getRuntimeContext().getState(new ValueStateDescriptor<>("tests", Types.LIST(Types.LONG)));
        bindings = BindingHistory.open(getRuntimeContext(), MAX_BINDINGS);
    }

    @Override
    public void processElement(MissedTestInput in, Context ctx, Collector<PersonInput> out) throws Exception {
        if (in.check() != null) {
            CampaignCheck c = in.check();
            if (!checks.contains(c.campaignEventId())) {
                checks.put(c.campaignEventId(), c);
                ctx.timerService().registerEventTimeTimer(c.intervalEnd(c.fromMs()));
            }
            return;
        }
        Event e = in.event();
        if (e.type() == EventType.IDENTITY) {
            bindings.add(e);
        } else if (e.type() == EventType.TEST_RESULT) {
            List<Long> list = tests.value() == null ? new ArrayList<>() : new ArrayList<>(tests.value());
            list.add(e.time());
            list.sort(null);
            while (list.size() > MAX_TESTS) {
                list.remove(0);
            }
            tests.update(list);
            ctx.timerService().registerEventTimeTimer(e.time() + TEST_RETENTION_MS);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PersonInput> out) throws Exception {
        List<CampaignCheck> due = new ArrayList<>();
        for (Map.Entry<String, CampaignCheck> entry : checks.entries()) {
            due.add(entry.getValue());
        }
        due.sort(Comparator.comparing(CampaignCheck::campaignEventId));
        for (CampaignCheck c : due) {
            for (long start = c.fromMs(); start < c.toMs(); start += c.intervalMs()) {
                long end = c.intervalEnd(start);
                if (end != timestamp) {
                    continue;
                }
                if (concerned(c, end) && !testedIn(start, end)) {
                    out.collect(PersonInput.of(new MissedTest(
                            "missed-" + c.campaignEventId() + "@" + end,
                            c.personId(),
                            c.campaignEventId(),
                            start,
                            end)));
                }
                if (end < c.toMs()) {
                    ctx.timerService().registerEventTimeTimer(c.intervalEnd(end));
                } else {
                    checks.remove(c.campaignEventId());
                }
                break;
            }
        }
        if (checks.isEmpty()) {
            checks.clear();
        }
        List<Long> kept = tests.value();
        if (kept != null) {
            List<Long> fresh =
                    kept.stream().filter(t -> t + TEST_RETENTION_MS > timestamp).toList();
            if (fresh.isEmpty()) {
                tests.clear();
            } else if (fresh.size() != kept.size()) {
                tests.update(new ArrayList<>(fresh));
            }
        }
    }

    /** The person's binding at {@code end} (the latest at or before it) lies under the campaign's area. */
    private boolean concerned(CampaignCheck c, long end) throws Exception {
        BindingHistory.Binding current = bindings.at(end);
        return current != null && RiskAreaMatcher.covers(c.areaCode(), current.areaCode());
    }

    private boolean testedIn(long start, long end) throws Exception {
        List<Long> list = tests.value();
        return list != null && list.stream().anyMatch(t -> t >= start && t < end);
    }
}
