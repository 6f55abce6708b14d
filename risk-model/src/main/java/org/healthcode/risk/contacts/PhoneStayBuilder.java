package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/**
 * Keyed by phone (msisdn): turns carrier pings into {@link Stay}s attributed to the person the phone was bound to at
 * the ping's time.
 *
 * <p>Pings and identity bindings wait in state until the watermark passes their time, then are applied in event-time
 * order (bindings before pings of the same millisecond), so arrival order does not matter. Consecutive pings in one
 * cell form a stay from the first to the last; a gap longer than {@code stayGapMillis}, a ping in another cell, or a
 * re-binding of the phone ends it. A stay is emitted when it ends; stays of a single ping (zero length) are not
 * emitted because they cannot overlap anything. Two pings of one phone at the same millisecond: the same cell is a
 * duplicate; different cells keep the smaller event id (deterministic). Pings with no binding yet are dropped and
 * counted ({@code unboundPings}). Pings behind the watermark go to {@link ContactOutputTags#LATE_PINGS} unless they
 * repeat a ping of the open stay.
 *
 * <p>State and its end of life: {@code binding} one entry per phone, replaced by the next binding (identity data
 * lives as long as the phone); {@code pendingPings}/{@code pendingBindings} until the watermark passes their time;
 * {@code openStay} until its gap timer fires. Timers: one per pending timestamp plus one gap timer per phone.
 */
public class PhoneStayBuilder extends KeyedProcessFunction<String, Event, Stay> {

    private final ContactRules rules;

    private transient GridProjection grid;
    private transient ValueState<PhoneBinding> binding;
    private transient MapState<Long, PendingPing> pendingPings;
    private transient MapState<Long, PhoneBinding> pendingBindings;
    private transient ValueState<Stay> openStay;
    private transient Counter unboundPings;
    private transient Counter latePings;

    public PhoneStayBuilder(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        grid = GridProjection.of(rules);
        binding = getRuntimeContext().getState(new ValueStateDescriptor<>("binding", PhoneBinding.class));
        pendingPings = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending-pings", Types.LONG, Types.POJO(PendingPing.class)));
        pendingBindings = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending-bindings", Types.LONG, Types.POJO(PhoneBinding.class)));
        openStay = getRuntimeContext().getState(new ValueStateDescriptor<>("open-stay", Stay.class));
        unboundPings = getRuntimeContext().getMetricGroup().counter("unboundPings");
        latePings = getRuntimeContext().getMetricGroup().counter("latePings");
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Stay> out) throws Exception {
        long t = e.time();
        boolean late = t <= ctx.timerService().currentWatermark();
        if (e.type() == EventType.IDENTITY) {
            PhoneBinding b = new PhoneBinding(e.personId(), t, e.eventId());
            if (late) {
                // Pings up to the watermark are already attributed; the binding holds for every later ping.
                applyBinding(b, out);
            } else {
                PhoneBinding other = pendingBindings.get(t);
                if (other == null || b.eventId().compareTo(other.eventId()) > 0) {
                    pendingBindings.put(t, b);
                }
                ctx.timerService().registerEventTimeTimer(t);
            }
            return;
        }
        if (e.type() != EventType.PING || e.lat() == null || e.lon() == null) {
            return;
        }
        String cell = grid.cellOf(e.lat(), e.lon());
        if (late) {
            Stay open = openStay.value();
            boolean repeatsOpenStay = open != null && open.cell().equals(cell) && t >= open.from() && t <= open.to();
            if (!repeatsOpenStay) {
                latePings.inc();
                ctx.output(ContactOutputTags.LATE_PINGS, e);
            }
            return;
        }
        PendingPing existing = pendingPings.get(t);
        if (existing == null || (!existing.cell().equals(cell) && e.eventId().compareTo(existing.eventId()) < 0)) {
            pendingPings.put(t, new PendingPing(cell, e.eventId()));
        }
        ctx.timerService().registerEventTimeTimer(t);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Stay> out) throws Exception {
        Stay open = openStay.value();
        if (open != null && ts - open.to() > rules.stayGapMillis()) {
            close(open, out);
        }
        PhoneBinding b = pendingBindings.get(ts);
        if (b != null) {
            pendingBindings.remove(ts);
            applyBinding(b, out);
        }
        PendingPing p = pendingPings.get(ts);
        if (p != null) {
            pendingPings.remove(ts);
            applyPing(ts, p, ctx, out);
        }
    }

    private void applyBinding(PhoneBinding b, Collector<Stay> out) throws Exception {
        PhoneBinding current = binding.value();
        if (current != null && current.since() > b.since()) {
            return; // an older binding arriving late never overrides a newer one
        }
        Stay open = openStay.value();
        if (open != null && !open.personId().equals(b.personId())) {
            close(open, out);
        }
        binding.update(b);
    }

    private void applyPing(long t, PendingPing p, OnTimerContext ctx, Collector<Stay> out) throws Exception {
        PhoneBinding b = binding.value();
        Stay open = openStay.value();
        if (b == null) {
            unboundPings.inc();
            return;
        }
        if (open != null && open.cell().equals(p.cell()) && open.personId().equals(b.personId())) {
            deleteGapTimer(open, ctx);
            openStay.update(new Stay(open.msisdn(), open.personId(), open.cell(), open.from(), t,
                    open.firstPingId(), p.eventId(), open.pings() + 1));
        } else {
            if (open != null) {
                deleteGapTimer(open, ctx);
                close(open, out);
            }
            openStay.update(new Stay(ctx.getCurrentKey(), b.personId(), p.cell(), t, t, p.eventId(), p.eventId(), 1));
        }
        ctx.timerService().registerEventTimeTimer(t + rules.stayGapMillis() + 1);
    }

    /** Removes the open stay's gap timer unless a pending event still needs that timestamp. */
    private void deleteGapTimer(Stay open, OnTimerContext ctx) throws Exception {
        long gapTimer = open.to() + rules.stayGapMillis() + 1;
        if (!pendingPings.contains(gapTimer) && !pendingBindings.contains(gapTimer)) {
            ctx.timerService().deleteEventTimeTimer(gapTimer);
        }
    }

    private void close(Stay open, Collector<Stay> out) throws Exception {
        if (open.to() > open.from()) {
            out.collect(open);
        }
        openStay.clear();
    }
}
