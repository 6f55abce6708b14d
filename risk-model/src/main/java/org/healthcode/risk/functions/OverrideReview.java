package org.healthcode.risk.functions;

import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.OverrideTerms;
import org.healthcode.risk.state.ReviewState;

/**
 * Keyed by {@code requestId}: reviews manual overrides (DESIGN §3, the Zhengzhou lesson). A request waits for a
 * second, different operator's approval; only then does the person get an {@link OverrideDecision}. Every request,
 * approval, refusal and withdrawal goes to the audit output with its outcome; self-approval, approving an unknown,
 * expired, refused, withdrawn or already approved request, and acting twice are refused with a reason.
 *
 * <p>Keyed by request rather than by person because approvals, refusals and withdrawals name only the request: the
 * request carries the person, and the decision is routed to the person's key from here. Decisions follow event
 * time, never arrival order: events wait in {@code pending} until the watermark passes them and are then taken in
 * (time, eventId) order (an approval sampled before its request is refused as unknown, whatever order they arrive
 * in). State end of life: {@code pending} entries leave when applied; {@code request} is cleared {@link #RETENTION_MS}
 * after the later of its time and its expiry (an approval after that is refused as unknown, before it as expired).
 */
public class OverrideReview extends KeyedProcessFunction<String, Event, OverrideDecision> {
    /** How long a decided or expired request is remembered: 14 days. */
    public static final long RETENTION_MS = 14L * 24 * 3_600_000L;

    static final String PENDING = "pending";
    static final String ACTIVE = "active";
    static final String REFUSED = "refused";
    static final String WITHDRAWN = "withdrawn";

    private final OutputTag<AuditRecord> auditTag;
    private final long maxDurationMs;

    private transient ValueState<ReviewState> request;
    private transient EventTimeBuffer<Event> pending;

    public OverrideReview(OutputTag<AuditRecord> auditTag) {
        this(auditTag, org.healthcode.risk.rules.RuleSet.DEFAULT_OVERRIDE_MAX_HOURS * 3_600_000L);
    }

    /** @param maxDurationMs the rule set's bound on an override's life, from request to expiry */
    public OverrideReview(OutputTag<AuditRecord> auditTag, long maxDurationMs) {
        this.auditTag = auditTag;
        this.maxDurationMs = maxDurationMs;
    }

    @Override
    public void open(OpenContext openContext) {
        request = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("request", TypeInformation.of(ReviewState.class)));
        pending =
                EventTimeBuffer.open(getRuntimeContext(), TypeInformation.of(Event.class), Event::eventId, Event::time);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<OverrideDecision> out) throws Exception {
        if (!pending.holdIfAhead(e, ctx.timerService())) {
            review(e, ctx, out); // behind the watermark but within the allowed lateness (checked upstream)
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OverrideDecision> out) throws Exception {
        for (Event e : pending.takeDue(timestamp)) {
            review(e, ctx, out);
        }
        ReviewState s = request.value();
        if (s != null && timestamp >= forgetAt(s)) {
            request.clear();
        }
    }

    private static long forgetAt(ReviewState s) {
        return Math.max(s.expiryMs(), s.requestTimeMs()) + RETENTION_MS;
    }

    private void review(Event e, Context ctx, Collector<OverrideDecision> out) throws Exception {
        ReviewState s = request.value();
        switch (e.type()) {
            case OVERRIDE_REQUEST -> {
                if (s != null) {
                    refuse(ctx, e, "request", s, "request id already used by event " + s.requestEventId());
                    return;
                }
                if (e.expiry() - e.time() > maxDurationMs) {
                    refuse(
                            ctx,
                            e,
                            "request",
                            null,
                            "expiry beyond the rule set's bound: an override lasts at most "
                                    + maxDurationMs / 3_600_000L + " h from its request");
                    return;
                }
                ReviewState created = new ReviewState(
                        e.requestId(),
                        e.eventId(),
                        e.time(),
                        e.personId(),
                        e.colour(),
                        e.basis(),
                        e.expiry(),
                        e.operator(),
                        PENDING,
                        null);
                request.update(created);
                ctx.timerService().registerEventTimeTimer(forgetAt(created));
                audit(ctx, e, "request", AuditRecord.ACCEPTED, created, null);
            }
            case OVERRIDE_APPROVAL -> {
                String problem = approvalProblem(s, e);
                if (problem != null) {
                    refuse(ctx, e, "approval", s, problem);
                    return;
                }
                ReviewState approved = s.with(ACTIVE, e.operator());
                request.update(approved);
                audit(ctx, e, "approval", AuditRecord.ACCEPTED, approved, null);
                out.collect(new OverrideDecision(
                        "override-" + e.eventId(),
                        s.personId(),
                        true,
                        e.time(),
                        terms(approved),
                        s.requestEventId(),
                        e.eventId()));
            }
            case OVERRIDE_REFUSAL -> {
                if (s == null || !PENDING.equals(s.state())) {
                    refuse(
                            ctx,
                            e,
                            "refusal",
                            s,
                            s == null
                                    ? "unknown request"
                                    : "only a pending request can be refused; this one is " + s.state());
                    return;
                }
                ReviewState refused = s.with(REFUSED, null);
                request.update(refused);
                audit(ctx, e, "refusal", AuditRecord.ACCEPTED, refused, e.reason());
            }
            case OVERRIDE_WITHDRAWAL -> {
                if (s == null || !(PENDING.equals(s.state()) || ACTIVE.equals(s.state()))) {
                    refuse(
                            ctx,
                            e,
                            "withdrawal",
                            s,
                            s == null
                                    ? "unknown request"
                                    : "only a pending or active request can be withdrawn; this one is " + s.state());
                    return;
                }
                ReviewState withdrawn = s.with(WITHDRAWN, s.approver());
                request.update(withdrawn);
                audit(ctx, e, "withdrawal", AuditRecord.ACCEPTED, withdrawn, null);
                if (ACTIVE.equals(s.state()) && e.time() < s.expiryMs()) {
                    out.collect(new OverrideDecision(
                            "override-" + e.eventId(),
                            s.personId(),
                            false,
                            e.time(),
                            terms(s),
                            s.requestEventId(),
                            e.eventId()));
                }
            }
            default -> {
                // only override events are routed here
            }
        }
    }

    /** Why an approval cannot be accepted, or null when it can. */
    static String approvalProblem(ReviewState s, Event approval) {
        if (s == null) {
            return "unknown request";
        }
        if (!PENDING.equals(s.state())) {
            return ACTIVE.equals(s.state()) ? "already approved by " + s.approver() : "the request was " + s.state();
        }
        if (approval.time() >= s.expiryMs()) {
            return "expired: the request's expiry " + Instant.ofEpochMilli(s.expiryMs()) + " has passed";
        }
        if (OverrideSignatures.canonicalOperator(approval.operator())
                .equals(OverrideSignatures.canonicalOperator(s.requester()))) {
            return "self-approval: the approver must be a second operator, not the requester " + s.requester();
        }
        return null;
    }

    private static OverrideTerms terms(ReviewState s) {
        return new OverrideTerms(s.requestId(), s.colour(), s.expiryMs(), s.requester(), s.approver());
    }

    private void refuse(Context ctx, Event e, String action, ReviewState s, String reason) throws Exception {
        audit(ctx, e, action, AuditRecord.REFUSED, s, reason);
    }

    private void audit(Context ctx, Event e, String action, String outcome, ReviewState s, String reason)
            throws Exception {
        boolean isRequest = "request".equals(action);
        ctx.output(
                auditTag,
                new AuditRecord(
                        e.eventId(),
                        e.time(),
                        action,
                        outcome,
                        ctx.getCurrentKey(),
                        s != null ? s.personId() : isRequest ? e.personId() : null,
                        e.operator(),
                        s != null ? s.state() : "none",
                        s != null ? s.colour() : e.colour(),
                        isRequest ? e.basis() : null,
                        s != null ? Long.valueOf(s.expiryMs()) : e.expiry(),
                        reason));
    }
}
