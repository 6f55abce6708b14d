package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by a place visited at known instants (a venue, a vehicle): keeps the visits and the cases' visits of the
 * look-back window and matches each new one against the other side, so the join is symmetric and late visits count.
 *
 * <p>Subclasses say which activity kind they take and when a (case visit, other visit) pair is an exposure. At most
 * one exposure per (case, person) leaves a place; a repeated visit changes nothing.
 *
 * <p>State and its end of life: {@code visits} until end + look-back; {@code case-visits} and {@code reported} until
 * the case's found + look-back. Cleanup timers are rounded up to the hour.
 */
public abstract class PlaceMatchDetector extends KeyedProcessFunction<String, PersonActivity, Exposure> {

    static final long CLEANUP_GRANULARITY = 3_600_000L;

    protected final ContactRules rules;

    private transient MapState<String, PersonActivity> visits;
    private transient MapState<String, PersonActivity> caseVisits;
    private transient MapState<String, Long> reported;

    protected PlaceMatchDetector(ContactRules rules) {
        this.rules = rules.validated();
    }

    /** The activity kind this detector matches. */
    protected abstract ActivityKind kind();

    /** The exposure of {@code other}'s person to the case of {@code caseVisit}, or null when the pair is no contact. */
    protected abstract Exposure match(String place, PersonActivity caseVisit, PersonActivity other);

    @Override
    public void open(OpenContext ctx) {
        visits = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("visits", Types.STRING, TypeInformation.of(PersonActivity.class)));
        caseVisits = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("case-visits", Types.STRING, TypeInformation.of(PersonActivity.class)));
        reported = getRuntimeContext().getMapState(new MapStateDescriptor<>("reported", Types.STRING, Types.LONG));
    }

    @Override
    public void processElement(PersonActivity a, Context ctx, Collector<Exposure> out) throws Exception {
        if (a.kind() != kind()) {
            return;
        }
        String place = ctx.getCurrentKey();
        long watermark = ctx.timerService().currentWatermark();
        if (a.isCaseCopy()) {
            String key = a.personId() + "|" + a.eventId();
            PersonActivity known = caseVisits.get(key);
            if (known != null && known.caseFound() <= a.caseFound()) {
                return;
            }
            long expiry = a.caseFound() + rules.lookBackMillis();
            if (expiry > watermark) {
                caseVisits.put(key, a);
                ctx.timerService().registerEventTimeTimer(roundUp(expiry));
            }
            for (PersonActivity other : visits.values()) {
                tryReport(place, a, other, out);
            }
        } else {
            if (visits.contains(a.eventId())) {
                return;
            }
            long expiry = a.to() + rules.lookBackMillis();
            if (expiry > watermark) {
                visits.put(a.eventId(), a);
                ctx.timerService().registerEventTimeTimer(roundUp(expiry));
            }
            for (PersonActivity c : caseVisits.values()) {
                tryReport(place, c, a, out);
            }
        }
    }

    private void tryReport(String place, PersonActivity caseVisit, PersonActivity other, Collector<Exposure> out)
            throws Exception {
        if (other.personId().equals(caseVisit.personId())) {
            return;
        }
        String reportKey = caseVisit.personId() + "|" + other.personId();
        if (reported.contains(reportKey)) {
            return;
        }
        Exposure e = match(place, caseVisit, other);
        if (e != null) {
            reported.put(reportKey, caseVisit.caseFound() + rules.lookBackMillis());
            out.collect(e);
        }
    }

    static long roundUp(long t) {
        return Math.floorDiv(t + CLEANUP_GRANULARITY - 1, CLEANUP_GRANULARITY) * CLEANUP_GRANULARITY;
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Exposure> out) throws Exception {
        if (EndOfInput.reached(ctx.timerService().currentWatermark())) {
            return;
        }
        long lookBack = rules.lookBackMillis();
        CompanionDetector.removeExpired(visits, v -> v.to() + lookBack <= ts);
        CompanionDetector.removeExpired(caseVisits, v -> v.caseFound() + lookBack <= ts);
        CompanionDetector.removeExpired(reported, expiry -> expiry <= ts);
    }
}
