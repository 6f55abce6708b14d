package org.healthcode.risk.functions;

import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.metrics.DomainMetrics;
import org.healthcode.risk.rules.InvalidRuleSetException;
import org.healthcode.risk.rules.RuleSetJson;

/**
 * Sends events later than the allowed lateness (event time more than that behind the watermark) to the rejected
 * output with category {@code late}, and drops second and later copies of an event (same eventId) that is not late.
 *
 * <p>Keyed by {@link ShardKey}, a shard of the eventId ({@link #SHARDS} keys): each shard holds a map of the ids it
 * has seen, with the event time of the first copy. An id is forgotten once the watermark has passed its event time
 * by more than the allowed lateness (checked per hour of event time by an event-time timer): from then on a copy of
 * that event is rejected as {@code late} before the map would be consulted, so nothing the map could still answer is
 * lost. State is therefore bounded by the events of the allowed lateness (48 h by default) plus an hour, whatever the
 * job's age. (An earlier version kept each id for 7 days of processing time with state TTL, keyed by the id itself:
 * at 100 k persons that was 5 M RocksDB entries rewritten by compaction, and most of the job's CPU.)
 *
 * <p>Carrier pings (most of a city's events) do not come here: they are checked against the carrier feed's own
 * watermark by {@link CarrierPings} and de-duplicated by contact detection's phone side.
 *
 * <p>The allowed lateness is the rule set's: the start-up one until a valid rule set arrives on the broadcast input
 * (the {@code rules} topic), then that one's, from the next event on. An invalid rule set changes nothing here
 * ({@link PersonRiskFunction} reports it on {@code rejected}, once). Ids are forgotten by the lateness in force when
 * the timer fires, so a rule set that allows more lateness keeps them longer.
 */
public class DuplicateAndLateFilter extends KeyedBroadcastProcessFunction<Integer, FeedRecord, RuleSetUpdate, Event> {
    /** The ids of one hour of event time are looked at for forgetting together. */
    public static final long HOUR_MS = 3_600_000L;

    /** Shards of the eventIds: spreads the ids over the key groups (and so over the parallel instances). */
    public static final int SHARDS = 1024;

    private final OutputTag<Rejected> rejectedTag;
    private final long initialLatenessMs;

    /** eventId -> event time of its first copy. */
    private transient MapState<String, Long> seen;

    private transient DomainMetrics.Labelled lateEvents;

    /**
     * @param initialLatenessMs the start-up rule set's allowed lateness, in force until a valid rule set arrives
     */
    public DuplicateAndLateFilter(OutputTag<Rejected> rejectedTag, long initialLatenessMs) {
        this.rejectedTag = rejectedTag;
        this.initialLatenessMs = initialLatenessMs;
    }

    /** The key of this operator: a shard of the eventId. */
    public static final class ShardKey implements KeySelector<FeedRecord, Integer> {
        @Override
        public Integer getKey(FeedRecord r) {
            return Math.floorMod(r.event().eventId().hashCode(), SHARDS);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen-ids", Types.STRING, Types.LONG));
        lateEvents = DomainMetrics.labelled(getRuntimeContext().getMetricGroup(), "lateEvents", "outcome")
                .register("applied")
                .register("rejected");
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
        Event e = r.event();
        long watermark = ctx.timerService().currentWatermark();
        long allowedLatenessMs = allowedLateness(ctx);
        long t = e.time();
        // a carrier city stay keeps the carrier's time (it crossed into this one late by design: a carrier backlog
        // or a feed a day late is not lateness here)
        if (watermark != Long.MIN_VALUE && t < watermark - allowedLatenessMs && e.type() != EventType.CITY_STAY) {
            lateEvents.inc("rejected");
            ctx.output(
                    rejectedTag,
                    r.reject(
                            "late",
                            "time",
                            "late: time " + Instant.ofEpochMilli(t)
                                    + " is more than the allowed lateness of " + allowedLatenessMs / 3_600_000L
                                    + " h behind the event-time watermark " + Instant.ofEpochMilli(watermark)));
            return;
        }
        if (seen.contains(e.eventId())) {
            return; // a duplicate: dropped by design (DESIGN §5); the first copy to arrive counts
        }
        if (watermark != Long.MIN_VALUE && t < watermark) {
            lateEvents.inc("applied");
        }
        seen.put(e.eventId(), t);
        ctx.timerService().registerEventTimeTimer(forgetAt(t, allowedLatenessMs));
        out.collect(e);
    }

    /**
     * Forgets the ids whose events are now beyond the allowed lateness (by the watermark, which at the end of a
     * bounded input is already +infinity, so one pass then empties the shard).
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        long horizon = saturatedAdd(ctx.timerService().currentWatermark(), -allowedLateness(ctx));
        long allowedLatenessMs = allowedLateness(ctx);
        // one timer per remaining hour (an entry's own timer may have been set under a smaller lateness)
        Set<Long> due = new HashSet<>();
        Set<Long> gone = new HashSet<>();
        Iterator<Map.Entry<String, Long>> it = seen.iterator();
        while (it.hasNext()) {
            long t = it.next().getValue();
            if (t < horizon) {
                it.remove();
                gone.add(forgetAt(t, allowedLatenessMs));
            } else {
                due.add(forgetAt(t, allowedLatenessMs));
            }
        }
        if (due.isEmpty()) {
            seen.clear(); // the heap backend keeps an emptied map as an entry
        }
        for (long at : due) {
            ctx.timerService().registerEventTimeTimer(at);
        }
        // the later hours this pass forgot need no pass of their own: on RocksDB each pass over the emptied map walks
        // the tombstones of every id it held (at the end of a bounded input, one pass per hour of the archive)
        for (long at : gone) {
            if (at != timestamp && !due.contains(at)) {
                ctx.timerService().deleteEventTimeTimer(at);
            }
        }
    }

    /** The end of the hour of {@code t} plus the allowed lateness: every copy of an event at {@code t} is late then. */
    static long forgetAt(long t, long allowedLatenessMs) {
        long hour = Math.floorDiv(t, HOUR_MS);
        long hourEnd = hour >= Long.MAX_VALUE / HOUR_MS - 1 ? Long.MAX_VALUE : (hour + 1) * HOUR_MS;
        return saturatedAdd(hourEnd, allowedLatenessMs);
    }

    private long allowedLateness(ReadOnlyContext ctx) throws Exception {
        Long broadcast = ctx.getBroadcastState(RuleBroadcast.LATENESS).get(RuleBroadcast.CURRENT);
        return broadcast != null ? broadcast : initialLatenessMs;
    }

    private static long saturatedAdd(long a, long b) {
        long s = a + b;
        return ((a ^ s) & (b ^ s)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : s;
    }
}
