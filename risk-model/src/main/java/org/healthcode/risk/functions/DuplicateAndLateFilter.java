package org.healthcode.risk.functions;

import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.rules.InvalidRuleSetException;
import org.healthcode.risk.rules.RuleSetJson;

/**
 * Keyed by eventId: drops second and later copies of an event, and sends events later than the allowed lateness
 * (event time more than that behind the watermark) to the rejected output with category {@code late}.
 *
 * <p>Dedupe horizon: a seen eventId is remembered for {@code dedupeHorizon} of processing time (state TTL, cleaned
 * up by RocksDB compaction); a copy arriving later than that is not recognised. Lateness is checked here, where
 * the original bytes are still at hand, so a late event reaches {@code rejected} whole.
 *
 * <p>The allowed lateness is the rule set's: the start-up one until a valid rule set arrives on the broadcast input
 * (the {@code rules} topic), then that one's, from the next event on. An invalid rule set changes nothing here
 * ({@link PersonRiskFunction} reports it on {@code rejected}, once).
 */
public class DuplicateAndLateFilter extends KeyedBroadcastProcessFunction<String, FeedRecord, RuleSetUpdate, Event> {
    private final OutputTag<Rejected> rejectedTag;
    private final long initialLatenessMs;
    private final Duration dedupeHorizon;

    private transient ValueState<Boolean> seen;

    /**
     * @param initialLatenessMs the start-up rule set's allowed lateness, in force until a valid rule set arrives
     */
    public DuplicateAndLateFilter(OutputTag<Rejected> rejectedTag, long initialLatenessMs, Duration dedupeHorizon) {
        this.rejectedTag = rejectedTag;
        this.initialLatenessMs = initialLatenessMs;
        this.dedupeHorizon = dedupeHorizon;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen", Boolean.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(dedupeHorizon)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(d);
    }

    @Override
    public void processBroadcastElement(RuleSetUpdate update, Context ctx, Collector<Event> out) throws Exception {
        try {
            long lateness = RuleSetJson.parse(update.json()).allowedLatenessMillis();
            ctx.getBroadcastState(RuleBroadcast.LATENESS).put(RuleBroadcast.CURRENT, lateness);
        } catch (InvalidRuleSetException e) {
            // the previous lateness stays; the person function rejects the rule set, naming the field
        }
    }

    @Override
    public void processElement(FeedRecord r, ReadOnlyContext ctx, Collector<Event> out) throws Exception {
        if (seen.value() != null) {
            return; // a duplicate: dropped by design (DESIGN §5)
        }
        seen.update(Boolean.TRUE);
        long watermark = ctx.timerService().currentWatermark();
        long t = r.event().time();
        if (watermark != Long.MIN_VALUE) {
            Long broadcast = ctx.getBroadcastState(RuleBroadcast.LATENESS).get(RuleBroadcast.CURRENT);
            long allowedLatenessMs = broadcast != null ? broadcast : initialLatenessMs;
            if (t < watermark - allowedLatenessMs) {
                ctx.output(rejectedTag, r.reject("late", "time", "late: time " + Instant.ofEpochMilli(t)
                        + " is more than the allowed lateness of " + allowedLatenessMs / 3_600_000L
                        + " h behind the event-time watermark " + Instant.ofEpochMilli(watermark)));
                return;
            }
        }
        out.collect(r.event());
    }
}
