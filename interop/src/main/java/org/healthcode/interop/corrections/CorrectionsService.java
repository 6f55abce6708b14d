package org.healthcode.interop.corrections;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.contracts.audit.OverrideOutcome;
import org.healthcode.ingest.overrides.OverrideEvents;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.security.Caller;

/**
 * The correction workflow: a person files, an operator takes the request and either upholds the colour or proposes
 * a correction, which is a manual override whose basis is the request; a second, different operator approves it.
 * Proposal and approval are the signed override request and approval events of the overrides topic, so the job's
 * two-person review ({@code OverrideReview}) decides the colour exactly as for any override. Every action writes an
 * audit record (action {@value #ACTION}, subject the person, result the new state) before it is answered.
 *
 * <p>Each check is a named method that throws {@link CorrectionRefused} with the reason; actions on one process are
 * serialised. Two replicas acting on one request at the same moment may both succeed: the higher version wins on the
 * topic, and the job refuses a second approval of one override.
 */
public final class CorrectionsService {
    /** The audit action of every correction step. */
    public static final String ACTION = "correction";
    /** The audit action of a read of correction requests. */
    public static final String READ_ACTION = "correction_read";
    /** The longest reason a person gives, in characters. */
    public static final int MAX_REASON = 1_000;
    /** The longest evidence text, in characters. */
    public static final int MAX_EVIDENCE = 4_000;
    /** The longest note of an operator to the person, in characters. */
    public static final int MAX_NOTE = 2_000;
    /** The window of the per-person rate limit. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private static final Set<String> COLOURS = Set.of("green", "yellow", "red");
    private static final int MAX_BASIS = 2_000;

    private final CorrectionStore store;
    private final OverrideEvents overrides;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String overridesTopic;
    private final AuditSink audit;
    private final Clock clock;
    private final int maxPerWindow;

    /**
     * @param maxPerWindow how many requests one person may file in {@link #WINDOW}
     */
    public CorrectionsService(
            CorrectionStore store,
            OverrideEvents overrides,
            KafkaProducer<byte[], byte[]> producer,
            String overridesTopic,
            AuditSink audit,
            Clock clock,
            int maxPerWindow) {
        this.store = store;
        this.overrides = overrides;
        this.producer = producer;
        this.overridesTopic = overridesTopic;
        this.audit = audit;
        this.clock = clock;
        this.maxPerWindow = maxPerWindow;
    }

    // ---- the person -------------------------------------------------------------------------------------------------

    /** Files a request for {@code personId}, the person the app acts for. */
    public synchronized Correction file(Caller caller, String personId, String reason, String evidence)
            throws CorrectionRefused {
        checkPerson(personId);
        checkText("reason", reason, MAX_REASON, true);
        checkText("evidence", evidence, MAX_EVIDENCE, false);
        Instant now = clock.instant();
        checkRate(personId, now);
        Correction c =
                Correction.filed("cor-" + UUID.randomUUID(), personId, reason.strip(), blankToNull(evidence), now);
        save(c);
        record(caller, c, "filed");
        return c;
    }

    /** The person's own requests, newest first; the read is audited. */
    public List<Correction> ofPerson(Caller caller, String personId) throws CorrectionRefused {
        checkPerson(personId);
        audit.record(AuditRecord.of(clock.instant(), caller, READ_ACTION, personId, "read", "own"));
        return store.ofPerson(personId);
    }

    // ---- operators ------------------------------------------------------------------------------------------------

    /** The queue: requests in {@code state} (null: every state), oldest first; the read is audited. */
    public List<Correction> queue(Caller caller, Correction.State state) {
        audit.record(AuditRecord.of(
                clock.instant(), caller, READ_ACTION, null, "read", "queue " + (state == null ? "all" : state)));
        return store.all().stream()
                .filter(c -> state == null || c.state() == state)
                .toList();
    }

    /** An operator takes a received request into review. */
    public synchronized Correction take(Caller caller, String id) throws CorrectionRefused {
        Correction c = existing(id);
        if (c.state() != Correction.State.RECEIVED) {
            throw new CorrectionRefused(
                    ErrorReason.CONFLICT,
                    "only a received request can be taken; this one is "
                            + c.state().wireName() + (c.reviewer() != null ? " with " + c.reviewer() : ""));
        }
        Correction taken = c.taken(operator(caller), clock.instant());
        save(taken);
        record(caller, taken, "taken");
        return taken;
    }

    /**
     * An operator proposes a correction: a signed override request for the person, basis the request, written to
     * the overrides topic. It takes effect only when a second operator approves it ({@link #approve}).
     */
    public synchronized Correction propose(Caller caller, String id, String colour, Instant until, String note)
            throws CorrectionRefused {
        Correction c = existing(id);
        checkInReview(c);
        if (c.proposalPending() || c.awaitingEngine()) {
            throw new CorrectionRefused(
                    ErrorReason.CONFLICT,
                    "a correction is already proposed (" + c.overrideRequestId() + ") and waits for "
                            + (c.proposalPending() ? "approval" : "the risk engine"));
        }
        if (colour == null || !COLOURS.contains(colour)) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "invalid 'colour': one of green, yellow, red");
        }
        checkText("note", note, MAX_NOTE, true);
        Instant now = clock.instant();
        if (until == null || !until.isAfter(now)) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "invalid 'expiry': not in the future");
        }
        String requestId = "req-" + UUID.randomUUID();
        String eventId = "ovr-" + UUID.randomUUID();
        String basis = "correction request " + c.id() + ": " + c.reason();
        send(overrides.request(
                eventId,
                now,
                c.personId(),
                requestId,
                colour,
                basis.length() > MAX_BASIS ? basis.substring(0, MAX_BASIS) : basis,
                until,
                caller.name()));
        Correction proposed = c.proposed(requestId, eventId, colour, until, operator(caller), note.strip(), now);
        save(proposed);
        record(caller, proposed, "proposed " + colour + " as override " + requestId);
        return proposed;
    }

    /**
     * A second operator approves the proposed correction: the override approval goes to the job. The request stays
     * in review until the job's decision comes back ({@link #applyJobDecision}): {@code corrected} means the job
     * accepted it.
     */
    public synchronized Correction approve(Caller caller, String id) throws CorrectionRefused {
        Correction c = existing(id);
        checkInReview(c);
        if (!c.proposalPending()) {
            throw new CorrectionRefused(
                    ErrorReason.CONFLICT,
                    c.awaitingEngine()
                            ? "the correction is approved already and waits for the risk engine"
                            : c.overrideRequestId() != null
                                    ? "the risk engine refused the proposed correction; propose one again"
                                    : "no correction is proposed for this request yet");
        }
        checkSecondOperator(caller, c);
        Instant now = clock.instant();
        String eventId = "ovr-" + UUID.randomUUID();
        send(overrides.approval(eventId, now, c.overrideRequestId(), caller.name()));
        Correction approved = c.approved(operator(caller), eventId, now);
        save(approved);
        record(caller, approved, "approved override " + c.overrideRequestId());
        return approved;
    }

    /**
     * The risk job's decision on an override, read back from its audit record: an accepted approval of a
     * request's proposed override (whoever approved it) makes the request {@code corrected}; the job's refusal of
     * the override request or of the approval this process wrote sends it back to the operators, marked refused.
     * Refusals of other events (a forged or repeated approval, a request id reused) are not decisions on this
     * proposal and change nothing. Every replica applies it and writes the same new version (its time is the
     * decision's), so copies agree; a decision already applied changes nothing.
     *
     * @return the request as it now stands, when the decision changed it
     */
    public synchronized Optional<Correction> applyJobDecision(OverrideOutcome o) throws CorrectionRefused {
        Optional<Correction> match = store.all().stream()
                .filter(c -> o.requestId().equals(c.overrideRequestId()))
                .filter(c -> o.personId() == null || o.personId().equals(c.personId()))
                .findFirst();
        if (match.isEmpty()) {
            return Optional.empty();
        }
        Correction c = match.get();
        Correction next = null;
        if (o.accepted() && OverrideOutcome.APPROVAL.equals(o.action())) {
            if (c.state() != Correction.State.CORRECTED) {
                String approver =
                        o.operator() == null ? c.approver() : OverrideSignatures.canonicalOperator(o.operator());
                next = c.corrected(approver, o.at());
            }
        } else if (!o.accepted() && c.overrideUndecided() && ownEvent(c, o)) {
            next = c.refusedByEngine(o.reason() == null ? "refused" : o.reason(), o.at());
        }
        if (next == null) {
            return Optional.empty();
        }
        save(next);
        return Optional.of(next);
    }

    /** Whether {@code o} decides the request event or the approval event this process wrote for {@code c}. */
    private static boolean ownEvent(Correction c, OverrideOutcome o) {
        return (OverrideOutcome.REQUEST.equals(o.action()) && o.eventId().equals(c.requestEventId()))
                || (OverrideOutcome.APPROVAL.equals(o.action()) && o.eventId().equals(c.approvalEventId()));
    }

    /** The requests whose proposed override waits for a decision of the job, oldest filed first. */
    public List<Correction> undecidedOverrides() {
        return store.all().stream()
                .filter(Correction::overrideUndecided)
                .sorted(java.util.Comparator.comparing(Correction::filedAt))
                .toList();
    }

    /**
     * An operator decides that the colour stands; a proposed correction still waiting is refused on the overrides
     * topic too. Upholding changes no colour, so one operator decides it.
     */
    public synchronized Correction uphold(Caller caller, String id, String note) throws CorrectionRefused {
        Correction c = existing(id);
        if (c.state().decided()) {
            throw new CorrectionRefused(
                    ErrorReason.CONFLICT,
                    "the request is already decided: " + c.state().wireName());
        }
        if (c.awaitingEngine()) {
            throw new CorrectionRefused(
                    ErrorReason.CONFLICT,
                    "two operators approved a correction; it waits for the risk engine and cannot be upheld now");
        }
        checkText("note", note, MAX_NOTE, true);
        Instant now = clock.instant();
        if (c.proposalPending()) {
            send(overrides.refusal(
                    "ovr-" + UUID.randomUUID(), now, c.overrideRequestId(), caller.name(), "correction upheld"));
        }
        Correction upheld = c.upheld(operator(caller), note.strip(), now);
        save(upheld);
        record(caller, upheld, "upheld");
        return upheld;
    }

    // ---- checks -----------------------------------------------------------------------------------------------------

    static void checkPerson(String personId) throws CorrectionRefused {
        if (!PersonIds.isWellFormed(personId)) {
            throw new CorrectionRefused(
                    ErrorReason.MALFORMED_PERSON_ID, "a person id is 1 to 64 characters of A-Z a-z 0-9 _ -");
        }
        if (PersonIds.looksLikeRawIdentity(personId)) {
            throw new CorrectionRefused(ErrorReason.MALFORMED_PERSON_ID, PersonIds.RAW_IDENTITY);
        }
    }

    static void checkText(String field, String value, int max, boolean required) throws CorrectionRefused {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new CorrectionRefused(ErrorReason.MALFORMED_REQUEST, "missing field '" + field + "'");
            }
            return;
        }
        if (value.length() > max) {
            throw new CorrectionRefused(
                    ErrorReason.MALFORMED_REQUEST,
                    "invalid '" + field + "': longer than " + max + " characters (" + value.length() + ")");
        }
    }

    /** At most {@code maxPerWindow} requests of one person in {@link #WINDOW}, counted from the store. */
    void checkRate(String personId, Instant now) throws CorrectionRefused {
        Instant from = now.minus(WINDOW);
        List<Instant> recent = store.ofPerson(personId).stream()
                .map(Correction::filedAt)
                .filter(t -> t.isAfter(from))
                .sorted()
                .toList();
        if (recent.size() < maxPerWindow) {
            return;
        }
        Instant freeAt = recent.get(recent.size() - maxPerWindow).plus(WINDOW);
        long wait = Math.max(1, Duration.between(now, freeAt).toSeconds() + 1);
        throw new CorrectionRefused(
                ErrorReason.RATE_LIMITED,
                "at most " + maxPerWindow + " correction requests per person in " + WINDOW.toHours()
                        + " h; retry after " + wait + " s",
                wait);
    }

    static void checkInReview(Correction c) throws CorrectionRefused {
        if (c.state() != Correction.State.IN_REVIEW) {
            throw new CorrectionRefused(
                    ErrorReason.CONFLICT,
                    "the request must be taken into review first; it is "
                            + c.state().wireName());
        }
    }

    /** The approver is a second operator: never the one who proposed (canonical names, as the job compares them). */
    static void checkSecondOperator(Caller caller, Correction c) throws CorrectionRefused {
        if (operator(caller).equals(OverrideSignatures.canonicalOperator(c.proposer()))) {
            throw new CorrectionRefused(
                    ErrorReason.FORBIDDEN,
                    "self-approval: the correction was proposed by " + c.proposer()
                            + "; a second operator must approve it");
        }
    }

    private Correction existing(String id) throws CorrectionRefused {
        return store.get(id)
                .orElseThrow(() -> new CorrectionRefused(ErrorReason.NOT_FOUND, "no correction request " + id));
    }

    private static String operator(Caller caller) {
        return OverrideSignatures.canonicalOperator(caller.name());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private void send(org.healthcode.ingest.proto.Event event) throws CorrectionRefused {
        try {
            producer.send(new ProducerRecord<>(
                            overridesTopic, event.getEventId().getBytes(StandardCharsets.UTF_8), event.toByteArray()))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CorrectionRefused(ErrorReason.UNAVAILABLE, "the override could not be recorded; try again");
        }
    }

    private void save(Correction c) throws CorrectionRefused {
        try {
            store.put(c);
        } catch (IllegalStateException e) {
            throw new CorrectionRefused(ErrorReason.UNAVAILABLE, "the request could not be recorded; try again");
        }
    }

    private void record(Caller caller, Correction c, String what) {
        audit.record(AuditRecord.of(
                clock.instant(), caller, ACTION, c.personId(), c.state().wireName(), c.id() + " " + what));
    }
}
