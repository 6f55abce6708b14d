package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by grid cell: finds spatio-temporal companions, the people whose stays in the cell overlapped a case phone's
 * stay for longer than the minimum overlap within the case's look-back window, with the long-stay clause applied.
 *
 * <p>The join is symmetric: the cell keeps every stay of the look-back window and every case's stays in the cell
 * until found + look-back, and matches whichever side arrives second, so a stay arriving days after the case was
 * found gives the same companion as a timely one. Stays are indexed by phone, so an ordinary stay costs one read and
 * one write of its phone's entry plus a look at the cell's cases (usually none); only a case stay scans the cell.
 * A repeated stay changes nothing. At most one exposure per (case, person) leaves a cell.
 *
 * <p>State and its end of life: {@code phones} spans until end + look-back; {@code cases} until found + look-back;
 * {@code reported} until found + look-back. Cleanup timers are rounded up to {@link #CLEANUP_GRANULARITY} so a busy
 * cell has a few timers a day, not one per stay.
 */
public class CompanionDetector extends KeyedProcessFunction<String, PersonActivity, Exposure> {

    /** Cleanup timers of a cell are rounded up to this (6 h): state may outlive its window by that much. */
    static final long CLEANUP_GRANULARITY = 6 * 3_600_000L;

    private final ContactRules rules;

    private transient MapState<String, PhoneCellStays> phones;
    private transient MapState<String, CaseCellStays> cases;
    private transient MapState<String, Long> reported;

    public CompanionDetector(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        phones = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("phones", Types.STRING, Types.POJO(PhoneCellStays.class)));
        cases = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("cases", Types.STRING, Types.POJO(CaseCellStays.class)));
        reported = getRuntimeContext().getMapState(new MapStateDescriptor<>("reported", Types.STRING, Types.LONG));
    }

    @Override
    public void processElement(PersonActivity a, Context ctx, Collector<Exposure> out) throws Exception {
        if (a.kind() != ActivityKind.STAY) {
            return;
        }
        StaySpan span = new StaySpan(a.personId(), a.msisdn(), a.from(), a.to(), a.eventId());
        if (a.isCaseCopy()) {
            onCaseStay(a, span, ctx, out);
        } else {
            onStay(span, ctx, out);
        }
    }

    private void onStay(StaySpan span, Context ctx, Collector<Exposure> out) throws Exception {
        PhoneCellStays known = phones.get(span.msisdn());
        List<StaySpan> spans = known == null ? new ArrayList<>() : new ArrayList<>(known.spans());
        if (!insertSorted(spans, span)) {
            return; // the same stay again: nothing new to match
        }
        long expiry = span.to() + rules.lookBackMillis();
        if (expiry > ctx.timerService().currentWatermark()) {
            phones.put(span.msisdn(), new PhoneCellStays(spans));
            ctx.timerService().registerEventTimeTimer(roundUp(expiry));
        }
        for (Map.Entry<String, CaseCellStays> c : cases.entries()) {
            evaluate(ctx.getCurrentKey(), c.getKey(), c.getValue(), span.msisdn(), spans, out);
        }
    }

    private void onCaseStay(PersonActivity a, StaySpan span, Context ctx, Collector<Exposure> out)
            throws Exception {
        String caseId = a.personId();
        CaseCellStays known = cases.get(caseId);
        CaseCellStays next;
        if (known == null) {
            next = new CaseCellStays(a.caseFound(), a.caseWindowStart(), a.caseCauseEventId(), List.of(span));
        } else {
            List<StaySpan> spans = new ArrayList<>(known.spans());
            boolean added = insertSorted(spans, span);
            boolean earlier = a.caseFound() < known.found();
            if (!added && !earlier) {
                return;
            }
            next = earlier
                    ? new CaseCellStays(a.caseFound(), a.caseWindowStart(), a.caseCauseEventId(), spans)
                    : new CaseCellStays(known.found(), known.windowStart(), known.causeEventId(), spans);
        }
        cases.put(caseId, next);
        ctx.timerService().registerEventTimeTimer(roundUp(next.found() + rules.lookBackMillis()));
        for (Map.Entry<String, PhoneCellStays> p : phones.entries()) {
            evaluate(ctx.getCurrentKey(), caseId, next, p.getKey(), p.getValue().spans(), out);
        }
    }

    /** Emits an exposure for each person on this phone who qualifies as the case's companion and is not reported. */
    private void evaluate(String cell, String caseId, CaseCellStays c, String msisdn, List<StaySpan> phoneSpans,
            Collector<Exposure> out) throws Exception {
        long ws = c.windowStart();
        long we = c.found();
        long phoneTotal = 0;
        for (StaySpan s : phoneSpans) {
            phoneTotal += s.lengthWithin(ws, we);
        }
        List<String> persons = new ArrayList<>();
        for (StaySpan s : phoneSpans) {
            if (!s.personId().equals(caseId) && !persons.contains(s.personId())) {
                persons.add(s.personId());
            }
        }
        for (String person : persons) {
            String reportKey = caseId + "|" + person;
            if (reported.contains(reportKey)) {
                continue;
            }
            Exposure e = companionExposure(cell, caseId, c, person, phoneSpans, phoneTotal);
            if (e != null) {
                reported.put(reportKey, c.found() + rules.lookBackMillis());
                out.collect(e);
            }
        }
    }

    private Exposure companionExposure(String cell, String caseId, CaseCellStays c, String person, List<StaySpan> phoneSpans,
            long phoneTotal) {
        long ws = c.windowStart();
        long we = c.found();
        long sharedTotal = 0;
        long firstShared = Long.MAX_VALUE;
        long lastShared = Long.MIN_VALUE;
        long bestOverlap = -1;
        StaySpan bestCase = null;
        StaySpan bestContact = null;
        for (StaySpan cs : c.spans()) {
            long caseTotal = casePhoneTotal(c, cs.msisdn());
            boolean longStay = caseTotal > rules.longStayMillis() || phoneTotal > rules.longStayMillis();
            for (StaySpan ps : phoneSpans) {
                if (!ps.personId().equals(person)) {
                    continue;
                }
                long start = Math.max(Math.max(cs.from(), ps.from()), ws);
                long end = Math.min(Math.min(cs.to(), ps.to()), we);
                long overlap = end - start;
                if (overlap <= 0) {
                    continue;
                }
                sharedTotal += overlap;
                firstShared = Math.min(firstShared, start);
                lastShared = Math.max(lastShared, end);
                if (qualifies(overlap, longStay) && overlap > bestOverlap) {
                    bestOverlap = overlap;
                    bestCase = cs;
                    bestContact = ps;
                }
            }
        }
        if (bestCase == null) {
            return null;
        }
        return Exposure.of(person, caseId, ExposureKind.COMPANION, firstShared, lastShared, cell,
                sharedTotal / 60_000L, c.found(),
                List.of(c.causeEventId(), bestCase.firstPingId(), bestContact.firstPingId()));
    }

    boolean qualifies(long overlap, boolean longStay) {
        boolean shared = overlap > rules.companionMinOverlapMillis();
        return switch (rules.longStayClause()) {
            case AND -> shared && longStay;
            case OR -> shared || longStay;
            case OFF -> shared;
        };
    }

    private static long casePhoneTotal(CaseCellStays c, String msisdn) {
        long total = 0;
        for (StaySpan s : c.spans()) {
            if (s.msisdn().equals(msisdn)) {
                total += s.lengthWithin(c.windowStart(), c.found());
            }
        }
        return total;
    }

    /** Inserts in (from, msisdn, person) order; false when an equal span is already there. */
    private static boolean insertSorted(List<StaySpan> spans, StaySpan span) {
        int i = 0;
        while (i < spans.size() && spans.get(i).from() <= span.from()) {
            StaySpan s = spans.get(i);
            if (s.from() == span.from() && s.msisdn().equals(span.msisdn()) && s.personId().equals(span.personId())) {
                return false;
            }
            i++;
        }
        spans.add(i, span);
        return true;
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
        List<String> emptied = new ArrayList<>();
        List<Map.Entry<String, PhoneCellStays>> shrunk = new ArrayList<>();
        for (Map.Entry<String, PhoneCellStays> p : phones.entries()) {
            List<StaySpan> kept = new ArrayList<>();
            for (StaySpan s : p.getValue().spans()) {
                if (s.to() + lookBack > ts) {
                    kept.add(s);
                }
            }
            if (kept.isEmpty()) {
                emptied.add(p.getKey());
            } else if (kept.size() < p.getValue().spans().size()) {
                shrunk.add(Map.entry(p.getKey(), new PhoneCellStays(kept)));
            }
        }
        for (String k : emptied) {
            phones.remove(k);
        }
        if (phones.isEmpty()) {
            phones.clear();
        }
        for (Map.Entry<String, PhoneCellStays> e : shrunk) {
            phones.put(e.getKey(), e.getValue());
        }
        removeExpired(cases, c -> c.found() + lookBack <= ts);
        removeExpired(reported, expiry -> expiry <= ts);
    }

    /** Removes the expired entries; an emptied map is cleared so no empty entry is left behind on any backend. */
    static <V> void removeExpired(MapState<String, V> state, java.util.function.Predicate<V> expired)
            throws Exception {
        Iterator<Map.Entry<String, V>> it = state.entries().iterator();
        while (it.hasNext()) {
            if (expired.test(it.next().getValue())) {
                it.remove();
            }
        }
        if (state.isEmpty()) {
            state.clear();
        }
    }
}
