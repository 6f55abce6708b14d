package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/**
 * Keyed by person: forwards each stay, venue scan and trip to its place-keyed detector, and when the person is a case
 * also forwards a case copy of every activity inside the case's window, whichever arrives first (the case or the
 * activity).
 *
 * <p>This is where case status meets place: the person side knows both the case's health events and where the case's
 * phones and scans and trips were, so the case is routed only to the cells, venues and vehicles it visited (no
 * broadcast, no pairwise work). Windows: stays overlapping [found - look-back, found]; scans and trips overlapping
 * [onset or first positive - infectious lead, found]. When the case changes (evidence found earlier, an onset), the
 * case copies of the activities in the old or the new window are sent again with the case as it is now, and the
 * places revise what they found: the latest copy of a case is the one a place goes by (copies of one person reach a
 * place in the order they were sent), and a copy outside its window withdraws the case's visit there.
 *
 * <p>Stays are kept as cell visits, one per cell the person's phones were in (the earliest start and the latest end
 * of those stays), not one per stay: the cell keeps every stay already, so when the person becomes a case the cell
 * takes the case's stays from its own ({@link CompanionDetector}); a stay that arrives after the person is a case
 * goes to its cell as a case copy of its own. At a 14-day look-back that is a few entries per person instead of a
 * hundred stays kept twice.
 *
 * <p>State and its end of life: {@code activities} (cell visits, scans, trips) each until the watermark passes its
 * end + look-back (rounded up to {@link #CLEANUP_GRANULARITY}); {@code case} until found + look-back; one cleanup
 * timer per person and its time ({@code cleanup-at}) while anything is kept.
 */
public class PersonContactIndex extends KeyedCoProcessFunction<String, Stay, Event, PersonActivity> {

    /**
     * Cleanup timers are rounded up to this (6 h), so a person has a few timers a day, not one per stay hour (a
     * timer is a RocksDB entry of its own); an activity may outlive its window by that much, and a case copy is
     * sent only for an activity inside the case's window, so that changes nothing found.
     */
    static final long CLEANUP_GRANULARITY = 6 * 3_600_000L;

    private final ContactRules rules;

    private transient MapState<String, PersonActivity> activities;
    private transient ValueState<CaseFound> caseState;
    private transient ValueState<Long> cleanupAt;

    public PersonContactIndex(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        activities = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("activities", Types.STRING, TypeInformation.of(PersonActivity.class)));
        caseState = getRuntimeContext().getState(new ValueStateDescriptor<>("case", CaseFound.class));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
    }

    @Override
    public void processElement1(Stay s, Context ctx, Collector<PersonActivity> out) throws Exception {
        route(
                new PersonActivity(
                        ActivityKind.STAY,
                        s.personId(),
                        s.cell(),
                        s.msisdn(),
                        s.from(),
                        s.to(),
                        s.firstPingId(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                ctx,
                out);
    }

    @Override
    public void processElement2(Event e, Context ctx, Collector<PersonActivity> out) throws Exception {
        if (e.type() == EventType.SCAN) {
            if (e.venueId() != null && !"out".equals(e.direction())) {
                route(
                        new PersonActivity(
                                ActivityKind.SCAN,
                                e.personId(),
                                e.venueId(),
                                null,
                                e.time(),
                                e.time(),
                                e.eventId(),
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        ctx,
                        out);
            }
        } else if (e.type() == EventType.TRIP) {
            if (e.vehicleId() != null && e.departure() != null && e.arrival() != null) {
                route(
                        new PersonActivity(
                                ActivityKind.TRIP,
                                e.personId(),
                                e.vehicleId(),
                                null,
                                e.departure(),
                                e.arrival(),
                                e.eventId(),
                                e.mode(),
                                e.sealed(),
                                e.carriage(),
                                e.row(),
                                null,
                                null,
                                null),
                        ctx,
                        out);
            }
        } else {
            CaseFound before = caseState.value();
            CaseFound after = CaseDetection.update(before, e);
            if (after != before) {
                caseState.update(after);
                scheduleCleanup(ctx, after.foundTime() + rules.lookBackMillis());
                for (PersonActivity a : activities.values()) {
                    if (inWindow(a, after) || (before != null && inWindow(a, before))) {
                        // one that left the window goes too: its place withdraws what it found with it
                        out.collect(a.asCaseCopy(after, windowStart(a.kind(), after)));
                    }
                }
            }
        }
    }

    private void route(PersonActivity a, Context ctx, Collector<PersonActivity> out) throws Exception {
        out.collect(a);
        long expiry = a.to() + rules.lookBackMillis();
        if (expiry > ctx.timerService().currentWatermark()) {
            if (a.kind() == ActivityKind.STAY) {
                String key = a.activityKey();
                PersonActivity kept = activities.get(key);
                PersonActivity cell = kept == null ? a.asCellVisit() : kept.widenedBy(a);
                if (!cell.equals(kept)) {
                    activities.put(key, cell);
                }
            } else {
                activities.put(a.activityKey(), a);
            }
            scheduleCleanup(ctx, expiry);
        }
        CaseFound c = caseState.value();
        if (c != null) {
            emitCaseCopy(a, c, out);
        }
    }

    private void emitCaseCopy(PersonActivity a, CaseFound c, Collector<PersonActivity> out) {
        if (inWindow(a, c)) {
            out.collect(a.asCaseCopy(c, windowStart(a.kind(), c)));
        }
    }

    private boolean inWindow(PersonActivity a, CaseFound c) {
        return a.from() <= c.foundTime() && a.to() >= windowStart(a.kind(), c);
    }

    /** Start of the window in which the case's activity of this kind is matched; it ends when the case was found. */
    long windowStart(ActivityKind kind, CaseFound c) {
        return kind == ActivityKind.STAY
                ? c.foundTime() - rules.lookBackMillis()
                : c.onsetOrFirstPositive() - rules.infectiousLeadMillis();
    }

    /**
     * One cleanup timer per person, at the earliest end of life of what is kept ({@code cleanup-at}); when it fires it
     * sets the next. A timer is a RocksDB entry of its own: one per person and 6 h of stay ends was the index's
     * largest state after the stays themselves.
     */
    private void scheduleCleanup(Context ctx, long expiry) throws Exception {
        long at = roundUp(expiry);
        Long pending = cleanupAt.value();
        if (pending == null || at < pending) {
            if (pending != null) {
                ctx.timerService().deleteEventTimeTimer(pending);
            }
            ctx.timerService().registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
    }

    static long roundUp(long t) {
        return Math.floorDiv(t + CLEANUP_GRANULARITY - 1, CLEANUP_GRANULARITY) * CLEANUP_GRANULARITY;
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<PersonActivity> out) throws Exception {
        if (EndOfInput.reached(ctx.timerService().currentWatermark())) {
            return;
        }
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, PersonActivity> en : activities.entries()) {
            if (en.getValue().to() + rules.lookBackMillis() <= ts) {
                expired.add(en.getKey());
            }
        }
        for (String k : expired) {
            activities.remove(k);
        }
        if (activities.isEmpty()) {
            activities.clear();
        }
        CaseFound c = caseState.value();
        if (c != null && c.foundTime() + rules.lookBackMillis() <= ts) {
            caseState.clear();
            c = null;
        }
        long next = Long.MAX_VALUE;
        for (PersonActivity a : activities.values()) {
            next = Math.min(next, roundUp(a.to() + rules.lookBackMillis()));
        }
        if (c != null) {
            next = Math.min(next, roundUp(c.foundTime() + rules.lookBackMillis()));
        }
        if (next == Long.MAX_VALUE) {
            cleanupAt.clear();
        } else {
            Long pending = cleanupAt.value();
            if (pending != null && pending != ts && pending != next) {
                ctx.timerService().deleteEventTimeTimer(pending);
            }
            ctx.timerService().registerEventTimeTimer(next);
            cleanupAt.update(next);
        }
    }
}
