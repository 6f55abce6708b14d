package org.healthcode.risk.functions;

import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.FeedRecord;

/**
 * Keyed by eventId: drops second and later copies of an event, and sends events later than the allowed lateness
 * (event time more than that behind the watermark) to the rejected output with category {@code late}.
 *
 * <p>Dedupe horizon: a seen eventId is remembered for {@code dedupeHorizon} of processing time (state TTL, cleaned
 * up by RocksDB compaction); a copy arriving later than that is not recognised. Lateness is checked here, where
 * the original bytes are still at hand, so a late event reaches {@code rejected} whole.
 */
public class DuplicateAndLateFilter extends KeyedProcessFunction<String, FeedRecord, Event> {
    private final OutputTag<Rejected> rejectedTag;
    private final long allowedLatenessMs;
    private final Duration dedupeHorizon;

    private transient ValueState<Boolean> seen;

    public DuplicateAndLateFilter(OutputTag<Rejected> rejectedTag, long allowedLatenessMs, Duration dedupeHorizon) {
        this.rejectedTag = rejectedTag;
        this.allowedLatenessMs = allowedLatenessMs;
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
    public void processElement(FeedRecord r, Context ctx, Collector<Event> out) throws Exception {
        if (seen.value() != null) {
            return; // a duplicate: dropped by design (DESIGN §5)
        }
        seen.update(Boolean.TRUE);
        long watermark = ctx.timerService().currentWatermark();
        long t = r.event().time();
        if (watermark != Long.MIN_VALUE && t < watermark - allowedLatenessMs) {
            ctx.output(rejectedTag, r.reject("late", "time", "late: time " + Instant.ofEpochMilli(t)
                    + " is more than the allowed lateness of " + allowedLatenessMs / 3_600_000L
                    + " h behind the event-time watermark " + Instant.ofEpochMilli(watermark)));
            return;
        }
        out.collect(r.event());
    }
}
