package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Subclasses say which activity kind they take and when a (case visit, other visit) pair is an exposure. One
 * exposure per (case, person) stands at a place: of the pairs that qualify, the first in {@link Exposure#CHOICE}, so
 * it does not depend on arrival order. When it changes (a better pair arrives, the case changes: found earlier, a
 * new onset) the place emits the new one; when none qualifies any more, a withdrawal of the one it had reported. A
 * repeated visit changes nothing.
 *
 * <p>State and its end of life: {@code visits} until end + look-back; {@code case-visits} and
 * {@code reported-exposures} until the case's found + look-back. Cleanup timers are rounded up to the hour.
 */
public abstract class PlaceMatchDetector extends KeyedProcessFunction<String, PersonActivity, Exposure> {

    static final long CLEANUP_GRANULARITY = 3_600_000L;

    protected final ContactRules rules;

    private transient MapState<String, PersonActivity> visits;
    private transient MapState<String, PersonActivity> caseVisits;
    private transient MapState<String, Exposure> reported;

    protected PlaceMatchDetector(ContactRules rules) {
        this.rules = rules.validated();
    }

    /** The activity kind this detector matches. */
    protected abstract ActivityKind kind();

    /** The exposure of {@code other}'s person to the case of {@code caseVisit}, or null when the pair is no contact. */
    protected abstract Exposure match(String place, PersonActivity caseVisit, PersonActivity other);

    @Override
    public void open(OpenContext ctx) {
        visits = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("visits", Types.STRING, TypeInformation.of(PersonActivity.class)));
        caseVisits = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "case-visits", Types.STRING, TypeInformation.of(PersonActivity.class)));
        reported = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "reported-exposures", Types.STRING, TypeInformation.of(Exposure.class)));
    }

    @Override
    public void processElement(PersonActivity a, Context ctx, Collector<Exposure> out) throws Exception {
        if (a.kind() != kind()) {
            return;
        }
        String place = ctx.getCurrentKey();
        long watermark = ctx.timerService().currentWatermark();
        if (a.isCaseCopy()) {
            onCaseCopy(place, a, watermark, ctx, out);
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
                if (c.personId().equals(a.personId())) {
                    continue;
                }
                Exposure e = match(place, c, a);
                if (e != null) {
                    String key = reportKey(c.personId(), a.personId());
                    Exposure known = reported.get(key);
                    if (known == null || Exposure.CHOICE.compare(e, known) < 0) {
                        report(key, known, e, out);
                    }
                }
            }
        }
    }

    /**
     * The latest copy of a case's visit carries the case as it is now, for all of the case's visits here: they are
     * rewritten with it (a visit outside the new window leaves), and what the case's visits find is derived again and
     * revised where it changed.
     */
    private void onCaseCopy(String place, PersonActivity a, long watermark, Context ctx, Collector<Exposure> out)
            throws Exception {
        String caseId = a.personId();
        CaseCopies change = CaseCopies.rewrite(caseVisits, a);
        if (change.unchanged()) {
            return;
        }
        Map<String, PersonActivity> before = change.before();
        Map<String, PersonActivity> after = change.after();
        long expiry = a.caseFound() + rules.lookBackMillis();
        change.removeLeaving(caseVisits);
        if (expiry > watermark) {
            for (Map.Entry<String, PersonActivity> en : after.entrySet()) {
                if (!en.getValue().equals(before.get(en.getKey()))) {
                    caseVisits.put(en.getKey(), en.getValue());
                }
            }
            ctx.timerService().registerEventTimeTimer(roundUp(expiry));
        } else {
            for (String k : after.keySet()) {
                caseVisits.remove(k); // too old to keep: matched now, not stored
            }
        }
        Map<String, Exposure> found = new HashMap<>();
        for (PersonActivity other : visits.values()) {
            if (other.personId().equals(caseId)) {
                continue;
            }
            for (PersonActivity c : after.values()) {
                Exposure e = match(place, c, other);
                if (e != null) {
                    found.merge(other.personId(), e, (x, y) -> Exposure.CHOICE.compare(x, y) <= 0 ? x : y);
                }
            }
        }
        List<String> persons = new ArrayList<>();
        for (String k : reported.keys()) {
            if (k.startsWith(caseId + "|")) {
                persons.add(k.substring(caseId.length() + 1));
            }
        }
        for (String p : found.keySet()) {
            if (!persons.contains(p)) {
                persons.add(p);
            }
        }
        Collections.sort(persons);
        for (String p : persons) {
            String k = reportKey(caseId, p);
            report(k, reported.get(k), found.get(p), out);
        }
    }

    private static String reportKey(String caseId, String personId) {
        return caseId + "|" + personId;
    }

    /** Emits the change from what was reported for a (case, person) to what is found now: new, revised, withdrawn. */
    private void report(String key, Exposure known, Exposure now, Collector<Exposure> out) throws Exception {
        if (java.util.Objects.equals(known, now)) {
            return;
        }
        if (known != null && (now == null || !known.exposureId().equals(now.exposureId()))) {
            out.collect(known.withdrawal());
        }
        if (now == null) {
            reported.remove(key);
        } else {
            reported.put(key, now);
            out.collect(now);
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
        CompanionDetector.removeExpired(reported, x -> x.caseFound() + lookBack <= ts);
    }
}
