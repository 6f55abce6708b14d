package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * Keyed by grid cell: finds spatio-temporal companions, the people whose stays in the cell overlapped a case phone's
 * stay for longer than the minimum overlap within the case's look-back window, with the long-stay clause applied.
 *
 * <p>The join is symmetric: the cell keeps every stay of the look-back window and every case's stays in the cell
 * until found + look-back, and matches whichever side arrives second (a case found after its stays arrived sends a
 * copy of its cell visit, and the cell takes the case's stays from its own: {@link PersonContactIndex}), so a stay arriving days after the case was
 * found gives the same companion as a timely one. Each stay is one map entry of the cell (keyed by phone, start and
 * person), written blind: an ordinary stay in a cell without cases (nearly all of them) costs one write plus a look
 * at the cell's cases and no read. (A read-modify-write of the phone's stays per stay was the job's most expensive
 * RocksDB access: a point read per stay into a column family as large as the look-back window's stays, slower the
 * larger it grows; see docs/contacts.md.) A cell with cases also keeps its stays by phone ({@code case-cell-phones},
 * built from {@code stays} when the cell's first case arrives), so a stay there reads and writes only its phone's
 * entry and a case stay reads the cell once. A repeated stay changes nothing; a stay reported again longer (it was
 * reported while open, see {@link PhoneStayBuilder}) replaces the shorter report under the same key. One exposure per (case, person)
 * stands in a cell, derived from all the stays known (the first in {@link Exposure#CHOICE} over the person's phones);
 * when it changes (more stays, the case found earlier) the cell emits the new one, and a withdrawal when it no longer
 * qualifies, so what stands does not depend on the order the stays and the case's evidence arrived in.
 *
 * <p>State and its end of life: {@code stays} each until end + look-back; {@code case-cell-phones} spans until end
 * + look-back, and all of it when the cell's last case expires; {@code cases} until found + look-back;
 * {@code reported-exposures} (per case, person and phone) until found + look-back. Cleanup timers are rounded up
 * to {@link #CLEANUP_GRANULARITY} so a busy cell has a few timers a day, not one per stay.
 */
public class CompanionDetector extends KeyedProcessFunction<String, PersonActivity, Exposure> {

    /** Cleanup timers of a cell are rounded up to this (6 h): state may outlive its window by that much. */
    static final long CLEANUP_GRANULARITY = 6 * 3_600_000L;

    private final ContactRules rules;

    private transient MapState<String, StaySpan> stays;
    private transient MapState<String, PhoneCellStays> casePhones;
    private transient MapState<String, CaseCellStays> cases;
    private transient MapState<String, Exposure> reported;

    public CompanionDetector(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        stays = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("stays", Types.STRING, StaySpan.compactType()));
        casePhones = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("case-cell-phones", Types.STRING, Types.POJO(PhoneCellStays.class)));
        cases = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("cases", Types.STRING, Types.POJO(CaseCellStays.class)));
        reported = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "reported-exposures", Types.STRING, TypeInformation.of(Exposure.class)));
    }

    @Override
    public void processElement(PersonActivity a, Context ctx, Collector<Exposure> out) throws Exception {
        if (a.kind() != ActivityKind.STAY) {
            return;
        }
        if (a.isCellVisit()) {
            if (a.isCaseCopy()) {
                onCaseStays(a, caseStaysKept(a.personId()), ctx, out);
            }
            return;
        }
        StaySpan span = new StaySpan(a.personId(), a.msisdn(), a.from(), a.to(), a.eventId());
        if (a.isCaseCopy()) {
            onCaseStays(a, List.of(span), ctx, out);
        } else {
            onStay(span, ctx, out);
        }
    }

    /** The stays of {@code caseId} this cell keeps: what a case copy of a cell visit stands for. */
    private List<StaySpan> caseStaysKept(String caseId) throws Exception {
        List<StaySpan> found = new ArrayList<>();
        for (StaySpan s : stays.values()) {
            if (s.personId().equals(caseId)) {
                found.add(s);
            }
        }
        found.sort(SPAN_ORDER);
        return found;
    }

    private void onStay(StaySpan span, Context ctx, Collector<Exposure> out) throws Exception {
        long expiry = span.to() + rules.lookBackMillis();
        boolean kept = expiry > ctx.timerService().currentWatermark();
        if (kept) {
            stays.put(stayKey(span), span);
            ctx.timerService().registerEventTimeTimer(roundUp(expiry));
        }
        Iterator<Map.Entry<String, CaseCellStays>> cellCases = cases.entries().iterator();
        if (!cellCases.hasNext()) {
            return;
        }
        PhoneCellStays known = casePhones.get(span.msisdn());
        List<StaySpan> spans = known == null ? new ArrayList<>() : new ArrayList<>(known.spans());
        if (!insertSorted(spans, span)) {
            return; // the same stay again: nothing new to match
        }
        if (kept) {
            casePhones.put(span.msisdn(), new PhoneCellStays(spans));
        }
        while (cellCases.hasNext()) {
            Map.Entry<String, CaseCellStays> c = cellCases.next();
            evaluate(ctx.getCurrentKey(), c.getKey(), c.getValue(), span.msisdn(), spans, out);
        }
    }

    /** A stay's entry in the cell: its phone, start and person (a repeated stay has the same key). */
    static String stayKey(StaySpan s) {
        return s.msisdn().length() + ":" + s.msisdn() + "|" + s.from() + "|" + s.personId();
    }

    /** Spans in start order (then phone, person): the order the evaluation sees them in. */
    private static final java.util.Comparator<StaySpan> SPAN_ORDER = java.util.Comparator.comparingLong(StaySpan::from)
            .thenComparing(StaySpan::msisdn)
            .thenComparing(StaySpan::personId);

    /** Builds {@code case-cell-phones} from the cell's stays: each phone's in {@link #SPAN_ORDER}. */
    private void indexStaysByPhone() throws Exception {
        Map<String, List<StaySpan>> byPhone = new HashMap<>();
        for (StaySpan s : stays.values()) {
            byPhone.computeIfAbsent(s.msisdn(), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<StaySpan>> e : byPhone.entrySet()) {
            e.getValue().sort(SPAN_ORDER);
            casePhones.put(e.getKey(), new PhoneCellStays(e.getValue()));
        }
    }

    private void onCaseStays(PersonActivity a, List<StaySpan> caseSpans, Context ctx, Collector<Exposure> out)
            throws Exception {
        String caseId = a.personId();
        CaseCellStays known = cases.get(caseId);
        CaseCellStays next;
        if (known == null) {
            if (!a.insideCaseWindow() || caseSpans.isEmpty()) {
                return;
            }
            List<StaySpan> spans = new ArrayList<>();
            for (StaySpan span : caseSpans) {
                insertSorted(spans, span);
            }
            next = new CaseCellStays(a.caseFound(), a.caseWindowStart(), a.caseCauseEventId(), spans);
        } else {
            // the latest copy carries the case as it is now (found earlier, another window): it applies to all its
            // stays here, and a stay now outside the window counts for nothing
            List<StaySpan> spans = new ArrayList<>(known.spans());
            boolean added = false;
            for (StaySpan span : caseSpans) {
                added |= insertSorted(spans, span);
            }
            boolean changed = known.found() != a.caseFound()
                    || known.windowStart() != a.caseWindowStart()
                    || !known.causeEventId().equals(a.caseCauseEventId());
            if (!added && !changed) {
                return;
            }
            next = new CaseCellStays(a.caseFound(), a.caseWindowStart(), a.caseCauseEventId(), spans);
        }
        if (known == null && cases.isEmpty()) {
            indexStaysByPhone(); // the cell's first case
        }
        cases.put(caseId, next);
        ctx.timerService().registerEventTimeTimer(roundUp(next.found() + rules.lookBackMillis()));
        for (Map.Entry<String, PhoneCellStays> p : casePhones.entries()) {
            evaluate(ctx.getCurrentKey(), caseId, next, p.getKey(), p.getValue().spans(), out);
        }
    }

    /**
     * Derives again, for each person on this phone, the phone's companion exposure to the case (from all of the
     * phone's stays here), and emits the change of the (case, person) exposure: the first in {@link Exposure#CHOICE}
     * over the person's phones, or its withdrawal when none qualifies any more.
     */
    private void evaluate(
            String cell,
            String caseId,
            CaseCellStays c,
            String msisdn,
            List<StaySpan> phoneSpans,
            Collector<Exposure> out)
            throws Exception {
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
            String key = caseId + "|" + person + "|" + msisdn;
            Exposure e = companionExposure(cell, caseId, c, person, phoneSpans, phoneTotal);
            Exposure previous = reported.get(key);
            if (java.util.Objects.equals(previous, e)) {
                continue;
            }
            Exposure before = reportedFor(caseId, person);
            if (e == null) {
                reported.remove(key);
            } else {
                reported.put(key, e);
            }
            Exposure after = reportedFor(caseId, person);
            if (!java.util.Objects.equals(before, after)) {
                out.collect(after != null ? after : before.withdrawal());
            }
        }
    }

    /** The (case, person) exposure this cell stands by: the first in {@link Exposure#CHOICE} over their phones. */
    private Exposure reportedFor(String caseId, String person) throws Exception {
        String prefix = caseId + "|" + person + "|";
        Exposure best = null;
        for (Map.Entry<String, Exposure> en : reported.entries()) {
            if (en.getKey().startsWith(prefix) && (best == null || Exposure.CHOICE.compare(en.getValue(), best) < 0)) {
                best = en.getValue();
            }
        }
        return best;
    }

    private Exposure companionExposure(
            String cell, String caseId, CaseCellStays c, String person, List<StaySpan> phoneSpans, long phoneTotal) {
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
        return Exposure.of(
                person,
                caseId,
                ExposureKind.COMPANION,
                firstShared,
                lastShared,
                cell,
                sharedTotal / 60_000L,
                c.found(),
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

    /**
     * Inserts in (from, msisdn, person) order; a longer report of a stay already there (a stay reported while open)
     * takes its place; false when the stay is there already as long.
     */
    private static boolean insertSorted(List<StaySpan> spans, StaySpan span) {
        int i = 0;
        while (i < spans.size() && spans.get(i).from() <= span.from()) {
            StaySpan s = spans.get(i);
            if (s.from() == span.from()
                    && s.msisdn().equals(span.msisdn())
                    && s.personId().equals(span.personId())) {
                if (span.to() <= s.to()) {
                    return false;
                }
                spans.set(i, span);
                return true;
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
        removeExpired(stays, span -> span.to() + lookBack <= ts);
        List<Map.Entry<String, PhoneCellStays>> shrunk = new ArrayList<>();
        for (Map.Entry<String, PhoneCellStays> p : casePhones.entries()) {
            List<StaySpan> kept = new ArrayList<>();
            for (StaySpan s : p.getValue().spans()) {
                if (s.to() + lookBack > ts) {
                    kept.add(s);
                }
            }
            if (kept.size() < p.getValue().spans().size()) {
                shrunk.add(Map.entry(p.getKey(), new PhoneCellStays(kept)));
            }
        }
        for (Map.Entry<String, PhoneCellStays> e : shrunk) {
            if (e.getValue().spans().isEmpty()) {
                casePhones.remove(e.getKey());
            } else {
                casePhones.put(e.getKey(), e.getValue());
            }
        }
        removeExpired(cases, c -> c.found() + lookBack <= ts);
        if (cases.isEmpty() || casePhones.isEmpty()) {
            casePhones.clear(); // no case left: the index goes; an emptied index leaves no entry behind
        }
        removeExpired(reported, x -> x.caseFound() + lookBack <= ts);
    }

    /** Removes the expired entries; an emptied map is cleared so no empty entry is left behind on any backend. */
    static <V> void removeExpired(MapState<String, V> state, java.util.function.Predicate<V> expired) throws Exception {
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
