package org.healthcode.risk.rules;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.Exposure;
import org.healthcode.risk.contacts.ExposureKind;
import org.healthcode.risk.events.AreaStay;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.CrossRegionTerms;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.OverrideTerms;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.state.ConditionState;

/**
 * The pure rule logic of DESIGN §3: which event starts, renews or ends which condition, where each condition is in
 * its phases at an instant, and when it ends. No Flink here: {@code PersonRiskFunction} feeds it events in
 * (time, eventId) order and asks it for the next instant at which something changes.
 *
 * <p>Every duration is measured from the condition's anchor in event time, so applying an event whose time is
 * already behind the person's clock (a late event within the allowed lateness) still places every phase end
 * exactly where in-order processing would have.
 */
public final class RiskEngine implements Serializable {
    private static final Set<ReasonCode> INFECTION = Set.of(ReasonCode.CONFIRMED, ReasonCode.ASYMPTOMATIC);

    private final RuleSet rules;

    public RiskEngine(RuleSet rules) {
        this.rules = rules;
    }

    public RuleSet rules() {
        return rules;
    }

    /** The conditions after one input (feed event or exposure), applied at its own time. */
    public List<ConditionState> apply(List<ConditionState> current, PersonInput in) {
        if (in.event() != null) {
            return apply(current, in.event());
        }
        if (in.override() != null) {
            return apply(current, in.override());
        }
        if (in.missedTest() != null) {
            // yellow from the end of the interval with no test; any test sampled after that ends it
            List<ConditionState> conds = new ArrayList<>(current);
            startOrRenew(conds, ReasonCode.MISSED_TEST, in.id(), in.time(), in.time());
            return conds;
        }
        return in.exposure() != null ? apply(current, in.exposure()) : apply(current, in.areaStay());
    }

    /**
     * A reviewed override: an approval puts it in force (replacing any earlier override of the person: the latest
     * approved one decides), a withdrawal of the one in force ends it. Its expiry ends it by itself.
     */
    public List<ConditionState> apply(List<ConditionState> current, OverrideDecision o) {
        List<ConditionState> conds = new ArrayList<>(current);
        int i = indexOf(conds, ReasonCode.OVERRIDE);
        if (o.active()) {
            if (i >= 0) {
                conds.remove(i);
            }
            conds.add(new ConditionState(
                    ReasonCode.OVERRIDE.wireName(),
                    List.of(o.requestEventId(), o.decisionEventId()),
                    o.timeMs(),
                    o.timeMs(),
                    o.timeMs(),
                    List.of(),
                    o.terms()));
        } else if (i >= 0
                && conds.get(i).override().requestId().equals(o.terms().requestId())) {
            conds.remove(i);
        }
        return conds;
    }

    /** A stay in a listed area: high -> red until 7 d after the stay ends, then a negative test; medium -> yellow. */
    public List<ConditionState> apply(List<ConditionState> current, AreaStay a) {
        List<ConditionState> conds = new ArrayList<>(current);
        ReasonCode reason = "high".equals(a.level()) ? ReasonCode.HIGH_RISK_AREA : ReasonCode.MEDIUM_RISK_AREA;
        int i = indexOf(conds, reason);
        if (i < 0) {
            // the stay's end is known, so the hold (until the stay ends) is over as soon as it is found
            conds.add(new ConditionState(
                    reason.wireName(), List.of(a.id()), a.knownAtMs(), a.stayEndMs(), a.knownAtMs(), List.of()));
        } else {
            ConditionState c = conds.get(i);
            long exitAfter = Math.max(c.exitAfterMs(), a.knownAtMs());
            conds.set(
                    i,
                    new ConditionState(
                            c.reason(),
                            addCause(c.cause(), a.id()),
                            c.startMs(),
                            Math.max(c.anchored() ? c.anchorMs() : Long.MIN_VALUE, a.stayEndMs()),
                            exitAfter,
                            testsAfter(c.countingTests(), exitAfter)));
        }
        return conds;
    }

    /**
     * The conditions after an exposure found by contact detection: companion, venue co-visit and the rest of a
     * vehicle start their yellow conditions when the exposure can first be known; a close same-vehicle contact is a
     * degree-1 close contact whose last exposure is the arrival.
     */
    public List<ConditionState> apply(List<ConditionState> current, Exposure x) {
        if (x.withdrawn()) {
            return current; // the person side drops the exposure it withdraws; applied alone it changes nothing
        }
        List<ConditionState> conds = new ArrayList<>(current);
        PersonInput in = PersonInput.of(x);
        ReasonCode reason = switch (x.kind()) {
            case COMPANION -> ReasonCode.COMPANION;
            case VENUE_CO_VISIT -> ReasonCode.VENUE_CO_VISIT;
            case SAME_VEHICLE_CLOSE -> ReasonCode.SAME_VEHICLE;
            case SAME_VEHICLE_REST -> ReasonCode.SAME_VEHICLE_REST;
        };
        startOrRenew(
                conds, reason, in.id(), in.time(), x.kind() == ExposureKind.SAME_VEHICLE_CLOSE ? x.end() : in.time());
        return conds;
    }

    /**
     * True for the event types {@link #apply(List, Event)} leaves to its default branch: whatever the conditions,
     * it gives them back unchanged. Keep the two switches in step ({@code RiskEngineTest} checks every type).
     */
    public static boolean concernsNoRule(Event e) {
        return switch (e.type()) {
            case TEST_RESULT,
                    DIAGNOSIS,
                    FEVER_CLINIC_VISIT,
                    CONTACT_DESIGNATION,
                    BORDER_ENTRY,
                    RISK_PERSON,
                    HEALTH_DECLARATION -> false;
            default -> true;
        };
    }

    /** The conditions after one feed event, applied at its own time. Events that concern no rule change nothing. */
    public List<ConditionState> apply(List<ConditionState> current, Event e) {
        List<ConditionState> conds = new ArrayList<>(current);
        long t = e.time();
        switch (e.type()) {
            case TEST_RESULT -> {
                countTest(conds, t, e.isPositive(), e.isPooled());
                if (e.isPositive()) {
                    startOrRenew(conds, e.isPooled() ? ReasonCode.POOLED_POSITIVE : ReasonCode.POSITIVE_TEST, e, t);
                }
            }
            case DIAGNOSIS -> {
                if (e.diagnosis() == null) {
                    break;
                }
                switch (e.diagnosis()) {
                    case CONFIRMED, ASYMPTOMATIC -> {
                        end(conds, ReasonCode.POSITIVE_TEST, ReasonCode.SUSPECTED, ReasonCode.POOLED_POSITIVE);
                        infection(conds, ReasonCode.valueOf(e.diagnosis().name()), e);
                    }
                    case SUSPECTED -> startOrRenew(conds, ReasonCode.SUSPECTED, e, t);
                    case DISCHARGED -> discharge(conds, e);
                    case CLEARED -> end(conds, ReasonCode.POSITIVE_TEST, ReasonCode.SUSPECTED);
                }
            }
            case FEVER_CLINIC_VISIT -> startOrRenew(conds, ReasonCode.FEVER_CLINIC, e, t);
            case CONTACT_DESIGNATION -> {
                long exposure = e.exposure() == null ? t : Math.min(e.exposure(), t);
                ReasonCode r = e.degree() != null && e.degree() == 2
                        ? ReasonCode.CONTACT_OF_CONTACT
                        : ReasonCode.CLOSE_CONTACT;
                startOrRenew(conds, r, e, exposure);
            }
            case BORDER_ENTRY -> startOrRenew(conds, ReasonCode.INBOUND, e, t);
            case RISK_PERSON -> crossRegion(conds, e);
            case HEALTH_DECLARATION -> {
                if (declaresFever(e)) {
                    startOrRenew(conds, ReasonCode.DECLARED_FEVER, e, t);
                }
            }
            default -> {
                // event types without a condition of their own change nothing here
            }
        }
        return conds;
    }

    /**
     * A record another region pushed (matched to this person by national pseudonym): the issuing region's latest
     * record replaces its earlier one, green withdraws it. Records of several regions are separate conditions, so
     * the most severe colour wins. The phases are counted from when this region received it and cap how long a
     * foreign record can hold (the rule's one phase: its colour is the most severe one applied, its hours the
     * longest hold); the record's own expiry usually ends it first.
     */
    private void crossRegion(List<ConditionState> conds, Event e) {
        int i = -1;
        for (int j = 0; j < conds.size(); j++) {
            if (conds.get(j).isCrossRegion()
                    && conds.get(j).crossRegion().fromRegion().equals(e.region())) {
                i = j;
            }
        }
        if ("green".equals(e.colour())) {
            if (i >= 0) {
                conds.remove(i);
            }
            return;
        }
        CrossRegionTerms terms = new CrossRegionTerms(e.region(), e.colour(), e.reasonCategory(), e.from(), e.expiry());
        if (i < 0) {
            conds.add(new ConditionState(
                    ReasonCode.CROSS_REGION_RISK.wireName(),
                    List.of(e.eventId()),
                    e.time(),
                    e.time(),
                    e.time(),
                    List.of(),
                    null,
                    terms));
        } else {
            ConditionState c = conds.get(i);
            conds.set(
                    i,
                    new ConditionState(
                            c.reason(),
                            addCause(c.cause(), e.eventId()),
                            c.startMs(),
                            e.time(),
                            e.time(),
                            List.of(),
                            null,
                            terms));
        }
    }

    /** A health declaration with the symptom fever, or a temperature at or above the rule set's fever. */
    private boolean declaresFever(Event e) {
        boolean symptom = e.symptoms() != null
                && java.util.Arrays.asList(e.symptoms().split(",")).contains("fever");
        return symptom || e.temperature() != null && e.temperature() >= rules.declaredFeverCelsius();
    }

    /** The colour a cross-region condition gives here: the record's, at most the rule's. */
    private Colour crossRegionColour(ConditionState c) {
        Colour given = Colour.fromWire(c.crossRegion().colour());
        Colour cap = rule(c).worstColour();
        return given.moreSevereThan(cap) ? cap : given;
    }

    /** The conditions still active at {@code now}: those whose phases are over and whose exit is met are gone. */
    public List<ConditionState> advance(List<ConditionState> current, long now) {
        List<ConditionState> out = new ArrayList<>(current.size());
        for (ConditionState c : current) {
            if (endAt(c) > now) {
                out.add(c);
            }
        }
        return out.size() == current.size() ? current : out;
    }

    /** When the condition ends: after its last phase once its exit requirement is met; MAX_VALUE when not yet known. */
    public long endAt(ConditionState c) {
        if (c.isOverride()) {
            return c.override().expiryMs();
        }
        if (c.isCrossRegion()) {
            return Math.min(c.crossRegion().expiryMs(), c.anchorMs() + rule(c).phasesMillis());
        }
        if (!c.anchored()) {
            return Long.MAX_VALUE;
        }
        ConditionRule rule = rule(c);
        long lastPhaseEnd = c.anchorMs() + rule.phasesMillis();
        long met = rule.exit().metAt(c.countingTests());
        return met == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(lastPhaseEnd, met);
    }

    /** The next instant after {@code now} at which some condition changes phase or ends; MAX_VALUE if none. */
    public long nextChange(List<ConditionState> conds, long now) {
        long next = Long.MAX_VALUE;
        for (ConditionState c : conds) {
            if (c.isOverride()) {
                if (c.override().expiryMs() > now) {
                    next = Math.min(next, c.override().expiryMs());
                }
                continue;
            }
            if (c.isCrossRegion()) {
                if (endAt(c) > now) {
                    next = Math.min(next, endAt(c));
                }
                continue;
            }
            if (!c.anchored()) {
                continue;
            }
            long boundary = c.anchorMs();
            for (Phase p : rule(c).phases()) {
                boundary += p.millis();
                if (boundary > now) {
                    next = Math.min(next, boundary);
                    break;
                }
            }
            long end = endAt(c);
            if (end > now) {
                next = Math.min(next, end);
            }
        }
        return next;
    }

    /**
     * Colour and conditions at {@code now} (call {@link #advance} first): the most severe computed condition, unless
     * an override is in force, whose colour wins either way (it is listed first; the computed ones stay visible).
     */
    public Assessment assess(List<ConditionState> conds, long now) {
        List<ConditionView> views = new ArrayList<>(conds.size());
        Colour worst = Colour.GREEN;
        ConditionView override = null;
        for (ConditionState c : conds) {
            if (c.isOverride()) {
                OverrideTerms t = c.override();
                override = new ConditionView(
                        c.reason(),
                        t.colour(),
                        c.cause(),
                        c.startMs(),
                        t.expiryMs(),
                        "its expiry at " + Instant.ofEpochMilli(t.expiryMs()) + " or a withdrawal; override "
                                + t.requestId() + " requested by " + t.requester() + ", approved by " + t.approver());
                continue;
            }
            if (c.isCrossRegion()) {
                CrossRegionTerms t = c.crossRegion();
                Colour colour = crossRegionColour(c);
                if (colour.moreSevereThan(worst)) {
                    worst = colour;
                }
                views.add(new ConditionView(
                        c.reason(),
                        colour.wireName(),
                        c.cause(),
                        c.startMs(),
                        endAt(c),
                        "its expiry at " + Instant.ofEpochMilli(endAt(c)) + " or a withdrawal by region "
                                + t.fromRegion() + " (reported there: " + t.reasonCategory() + ", "
                                + t.colour() + " since " + Instant.ofEpochMilli(t.sinceMs()) + ")"));
                continue;
            }
            ConditionRule rule = rule(c);
            Colour colour;
            long phaseEnd = 0;
            if (!c.anchored()) {
                colour = rule.holdColour();
            } else {
                colour = rule.phases().get(rule.phases().size() - 1).colour();
                long boundary = c.anchorMs();
                for (Phase p : rule.phases()) {
                    boundary += p.millis();
                    if (now < boundary) {
                        colour = p.colour();
                        phaseEnd = boundary;
                        break;
                    }
                }
            }
            if (colour.moreSevereThan(worst)) {
                worst = colour;
            }
            views.add(new ConditionView(
                    c.reason(), colour.wireName(), c.cause(), c.startMs(), phaseEnd, endsWith(c, rule)));
        }
        views.sort(Comparator.comparing(
                        (ConditionView v) -> -Colour.fromWire(v.colour()).ordinal())
                .thenComparingLong(ConditionView::startMs)
                .thenComparing(ConditionView::reason));
        if (override != null) {
            views.add(0, override);
            return new Assessment(Colour.fromWire(override.colour()), views);
        }
        return new Assessment(worst, views);
    }

    private ConditionRule rule(ConditionState c) {
        return rules.rule(ReasonCode.valueOf(c.reason().toUpperCase(java.util.Locale.ROOT)));
    }

    private void countTest(List<ConditionState> conds, long t, boolean positive, boolean pooled) {
        for (int i = 0; i < conds.size(); i++) {
            ConditionState c = conds.get(i);
            if (c.isOverride() || c.isCrossRegion()) {
                continue; // tests do not end these: their expiry or a withdrawal does
            }
            ExitRequirement exit = rule(c).exit();
            if (t <= c.exitAfterMs() || !exit.counts(positive, pooled)) {
                continue;
            }
            if (exit.kind() != ExitKind.TWO_NEGATIVE_TESTS
                    && !c.countingTests().isEmpty()
                    && c.countingTests().get(0) <= t) {
                continue; // one counting test is all a single-test requirement needs
            }
            List<Long> tests = new ArrayList<>(c.countingTests());
            tests.add(t);
            tests.sort(null);
            while (tests.size() > ConditionState.MAX_TESTS) {
                tests.remove(0);
            }
            conds.set(i, new ConditionState(c.reason(), c.cause(), c.startMs(), c.anchorMs(), c.exitAfterMs(), tests));
        }
    }

    /** Starts a condition, or renews an active one: one more cause, the later anchor, only tests after this event count. */
    private void startOrRenew(List<ConditionState> conds, ReasonCode reason, Event e, long anchor) {
        startOrRenew(conds, reason, e.eventId(), e.time(), anchor);
    }

    private void startOrRenew(List<ConditionState> conds, ReasonCode reason, String id, long time, long anchor) {
        ConditionRule rule = rules.rule(reason);
        int i = indexOf(conds, reason);
        if (i < 0) {
            long a = rule.holdColour() != null ? ConditionState.NO_ANCHOR : anchor;
            conds.add(new ConditionState(reason.wireName(), List.of(id), time, a, time, List.of()));
            return;
        }
        ConditionState c = conds.get(i);
        long a = rule.holdColour() != null ? c.anchorMs() : Math.max(c.anchorMs(), anchor);
        long exitAfter = Math.max(c.exitAfterMs(), time);
        conds.set(
                i,
                new ConditionState(
                        c.reason(),
                        addCause(c.cause(), id),
                        c.startMs(),
                        a,
                        exitAfter,
                        testsAfter(c.countingTests(), exitAfter)));
    }

    /** A confirmed/asymptomatic diagnosis: red until discharge; a new one after a discharge holds red again. */
    private void infection(List<ConditionState> conds, ReasonCode reason, Event e) {
        for (int i = 0; i < conds.size(); i++) {
            ConditionState c = conds.get(i);
            if (INFECTION.contains(ReasonCode.valueOf(c.reason().toUpperCase(java.util.Locale.ROOT)))) {
                // asymptomatic that turns out confirmed becomes confirmed; never the other way round
                String r = reason == ReasonCode.CONFIRMED ? reason.wireName() : c.reason();
                conds.set(
                        i,
                        new ConditionState(
                                r,
                                addCause(c.cause(), e.eventId()),
                                c.startMs(),
                                ConditionState.NO_ANCHOR,
                                c.exitAfterMs(),
                                List.of()));
                return;
            }
        }
        conds.add(new ConditionState(
                reason.wireName(), List.of(e.eventId()), e.time(), ConditionState.NO_ANCHOR, e.time(), List.of()));
    }

    /** A discharge anchors the infection's phases; tests count from the discharge on. */
    private void discharge(List<ConditionState> conds, Event e) {
        for (int i = 0; i < conds.size(); i++) {
            ConditionState c = conds.get(i);
            if (INFECTION.contains(ReasonCode.valueOf(c.reason().toUpperCase(java.util.Locale.ROOT)))) {
                conds.set(
                        i,
                        new ConditionState(
                                c.reason(),
                                addCause(c.cause(), e.eventId()),
                                c.startMs(),
                                e.time(),
                                e.time(),
                                List.of()));
            }
        }
    }

    private static void end(List<ConditionState> conds, ReasonCode... reasons) {
        for (ReasonCode r : reasons) {
            int i = indexOf(conds, r);
            if (i >= 0) {
                conds.remove(i);
            }
        }
    }

    private static int indexOf(List<ConditionState> conds, ReasonCode reason) {
        for (int i = 0; i < conds.size(); i++) {
            if (conds.get(i).reason().equals(reason.wireName())) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> addCause(List<String> cause, String eventId) {
        if (cause.contains(eventId)) {
            return cause;
        }
        List<String> out = new ArrayList<>(cause);
        out.add(eventId);
        while (out.size() > ConditionState.MAX_CAUSES) {
            out.remove(1); // keep the first cause (what started it) and the latest ones
        }
        return out;
    }

    private static List<Long> testsAfter(List<Long> tests, long after) {
        List<Long> out = new ArrayList<>();
        for (Long t : tests) {
            if (t > after) {
                out.add(t);
            }
        }
        return out;
    }

    private String endsWith(ConditionState c, ConditionRule rule) {
        ReasonCode reason = ReasonCode.valueOf(c.reason().toUpperCase(java.util.Locale.ROOT));
        StringBuilder sb = new StringBuilder();
        if (!c.anchored()) {
            sb.append(INFECTION.contains(reason) ? "a discharged diagnosis" : "the end of the stay")
                    .append(", then ");
            for (Phase p : rule.phases()) {
                sb.append(p.colour().wireName()).append(' ').append(p.hours()).append(" h, ");
            }
            sb.append("then ").append(rule.exit().describe(INFECTION.contains(reason) ? "the discharge" : "the stay"));
            return sb.toString();
        }
        long lastPhaseEnd = c.anchorMs() + rule.phasesMillis();
        if (rule.exit().kind() == ExitKind.NONE) {
            sb.append("the end of its last phase at ").append(Instant.ofEpochMilli(lastPhaseEnd));
        } else {
            sb.append(rule.exit().describe(Instant.ofEpochMilli(c.exitAfterMs()).toString()));
            if (rule.phasesMillis() > 0) {
                sb.append(", not before ").append(Instant.ofEpochMilli(lastPhaseEnd));
            }
        }
        switch (reason) {
            case POSITIVE_TEST -> sb.append("; or a confirmed, asymptomatic or cleared diagnosis");
            case SUSPECTED -> sb.append("; or a cleared (or confirmed) diagnosis");
            case POOLED_POSITIVE -> sb.append("; or a confirmed or asymptomatic diagnosis");
            default -> {}
        }
        return sb.toString();
    }
}
