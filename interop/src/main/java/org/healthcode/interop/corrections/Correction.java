package org.healthcode.interop.corrections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import org.healthcode.interop.http.JsonResponses;

/**
 * One correction request (纠错): a person disputes their colour with a reason and optional evidence, and follows its
 * {@link State} until an operator upholds the colour or a reviewed override corrects it. Each change of state is a
 * new version of the whole record on the compacted {@code corrections} topic (key: {@link #id}); the highest
 * {@link #version} of an id is its current state.
 *
 * @param id {@code cor-} and a random UUID
 * @param version 1 when filed, one more at each change
 * @param personId the person who filed it, and the only person it is shown to
 * @param state where it stands
 * @param reason the person's words: why the colour is wrong
 * @param evidence the person's evidence as text (a test report number, a place and time), or null
 * @param filedAt when it was filed
 * @param updatedAt when its state last changed
 * @param reviewer the operator who took it into review, or null
 * @param overrideRequestId the override request proposed for it, or null
 * @param proposedColour the colour that override sets, or null
 * @param proposedUntil that override's expiry, or null
 * @param proposer the operator who proposed it, or null
 * @param approver the second operator who approved it, or null
 * @param note the operators' words to the person (why upheld, what was corrected), or null
 * @param requestEventId the id of the override request event proposed, or null
 * @param approvalEventId the id of the approval event this process wrote for it, or null
 * @param engine the risk job's decision on the proposed override, read back from its audit record:
 *     {@value #ENGINE_ACCEPTED} (an approval of it was accepted: the override is in force), {@value #ENGINE_REFUSED}
 *     (the job refused the request or this approval), or null (no decision yet)
 * @param engineReason why the job refused it, or null
 */
public record Correction(
        String id,
        long version,
        String personId,
        State state,
        String reason,
        String evidence,
        Instant filedAt,
        Instant updatedAt,
        String reviewer,
        String overrideRequestId,
        String proposedColour,
        Instant proposedUntil,
        String proposer,
        String approver,
        String note,
        String requestEventId,
        String approvalEventId,
        String engine,
        String engineReason) {
    /** {@link #engine}: the job accepted an approval of the proposed override. */
    public static final String ENGINE_ACCEPTED = "accepted";
    /** {@link #engine}: the job refused the proposed override's request or its approval. */
    public static final String ENGINE_REFUSED = "refused";

    /** Where a request stands, as the person sees it. */
    public enum State {
        /** Filed, waiting in the operators' queue. */
        RECEIVED,
        /** An operator took it; a correction may be proposed and waits for a second operator. */
        IN_REVIEW,
        /** Decided: the colour stands ({@link #note} says why). */
        UPHELD,
        /**
         * Decided: a second operator approved the proposed override and the risk job accepted it; the colour is
         * corrected until its expiry.
         */
        CORRECTED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State parse(String s) {
            for (State v : values()) {
                if (v.wireName().equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("invalid 'state': one of received, in_review, upheld, corrected");
        }

        /** Whether the request is decided and changes no more. */
        public boolean decided() {
            return this == UPHELD || this == CORRECTED;
        }
    }

    /** A request just filed. */
    static Correction filed(String id, String personId, String reason, String evidence, Instant at) {
        return new Correction(
                id,
                1,
                personId,
                State.RECEIVED,
                reason,
                evidence,
                at,
                at,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    Correction taken(String operator, Instant at) {
        return next(State.IN_REVIEW, at, n -> n.reviewer = operator);
    }

    Correction proposed(
            String requestId, String eventId, String colour, Instant until, String operator, String text, Instant at) {
        return next(State.IN_REVIEW, at, n -> {
            n.reviewer = reviewer == null ? operator : reviewer;
            n.overrideRequestId = requestId;
            n.proposedColour = colour;
            n.proposedUntil = until;
            n.proposer = operator;
            n.approver = null;
            n.note = text;
            n.requestEventId = eventId;
            n.approvalEventId = null;
            n.engine = null;
            n.engineReason = null;
        });
    }

    /** A second operator approved the proposal: the approval is on its way to the job, which decides it. */
    Correction approved(String operator, String eventId, Instant at) {
        return next(State.IN_REVIEW, at, n -> {
            n.approver = operator;
            n.approvalEventId = eventId;
            n.engine = null;
            n.engineReason = null;
        });
    }

    /** The job accepted an approval of the proposed override ({@code operator}'s): the colour is corrected. */
    Correction corrected(String operator, Instant at) {
        return next(State.CORRECTED, at, n -> {
            n.approver = operator;
            n.engine = ENGINE_ACCEPTED;
            n.engineReason = null;
        });
    }

    /** The job refused the proposed override's request or its approval: back to the operators, with the reason. */
    Correction refusedByEngine(String why, Instant at) {
        return next(State.IN_REVIEW, at, n -> {
            n.engine = ENGINE_REFUSED;
            n.engineReason = why;
        });
    }

    Correction upheld(String operator, String text, Instant at) {
        return next(State.UPHELD, at, n -> {
            n.reviewer = reviewer == null ? operator : reviewer;
            n.approver = null;
            n.note = text;
        });
    }

    /** The next version of this request, in {@code state} since {@code at}: {@code change} sets what else differs. */
    private Correction next(State state, Instant at, Consumer<Step> change) {
        Step n = new Step(this);
        change.accept(n);
        return new Correction(
                id,
                version + 1,
                personId,
                state,
                reason,
                evidence,
                filedAt,
                at,
                n.reviewer,
                n.overrideRequestId,
                n.proposedColour,
                n.proposedUntil,
                n.proposer,
                n.approver,
                n.note,
                n.requestEventId,
                n.approvalEventId,
                n.engine,
                n.engineReason);
    }

    /** The fields a step may change, as the request had them before it. */
    private static final class Step {
        String reviewer;
        String overrideRequestId;
        String proposedColour;
        Instant proposedUntil;
        String proposer;
        String approver;
        String note;
        String requestEventId;
        String approvalEventId;
        String engine;
        String engineReason;

        Step(Correction c) {
            reviewer = c.reviewer;
            overrideRequestId = c.overrideRequestId;
            proposedColour = c.proposedColour;
            proposedUntil = c.proposedUntil;
            proposer = c.proposer;
            approver = c.approver;
            note = c.note;
            requestEventId = c.requestEventId;
            approvalEventId = c.approvalEventId;
            engine = c.engine;
            engineReason = c.engineReason;
        }
    }

    /** Whether a correction is proposed and waits for a second operator. */
    public boolean proposalPending() {
        return state == State.IN_REVIEW && overrideRequestId != null && approver == null && engine == null;
    }

    /** Whether a second operator approved the proposed correction and the job has not decided it yet. */
    public boolean awaitingEngine() {
        return state == State.IN_REVIEW && overrideRequestId != null && approver != null && engine == null;
    }

    /** Whether a proposed override waits for a decision of the job (a second operator's, then the job's). */
    public boolean overrideUndecided() {
        return state == State.IN_REVIEW && overrideRequestId != null && engine == null;
    }

    /** Everything, as the topic stores it and operators see it. */
    public ObjectNode toJson() {
        ObjectNode n = toPersonJson();
        n.put("version", version);
        n.put("personId", personId);
        n.put("reviewer", reviewer);
        n.put("overrideRequestId", overrideRequestId);
        n.put("proposedColour", proposedColour);
        n.put("proposedUntil", proposedUntil == null ? null : proposedUntil.toString());
        n.put("proposer", proposer);
        n.put("approver", approver);
        n.put("note", note);
        n.put("requestEventId", requestEventId);
        n.put("approvalEventId", approvalEventId);
        n.put("engine", engine);
        n.put("engineReason", engineReason);
        return n;
    }

    /**
     * What the person sees: their own words, the state and, once decided, the outcome; while in review, whether a
     * correction approved by two operators waits for the risk engine ({@code "correction":"approved"}) or the engine
     * refused it ({@code "correction":"refused"}; an operator reviews the request again). No operator names (the
     * audit names them to operators), no proposal still waiting for its second operator, and not the engine's
     * reason, which may name operators.
     */
    public ObjectNode toPersonJson() {
        ObjectNode n = JsonResponses.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("state", state.wireName());
        n.put("reason", reason);
        n.put("evidence", evidence);
        n.put("filedAt", filedAt.toString());
        n.put("updatedAt", updatedAt.toString());
        if (awaitingEngine()) {
            n.put("correction", "approved");
        } else if (state == State.IN_REVIEW && ENGINE_REFUSED.equals(engine)) {
            n.put("correction", ENGINE_REFUSED);
        }
        if (state.decided()) {
            ObjectNode o = n.putObject("outcome");
            o.put("decision", state.wireName());
            if (state == State.CORRECTED) {
                o.put("colour", proposedColour);
                o.put("until", proposedUntil.toString());
            }
            o.put("note", note);
        }
        return n;
    }

    /** Reads the topic's form back. */
    public static Correction fromJson(JsonNode n) {
        return new Correction(
                n.path("id").asText(),
                n.path("version").asLong(),
                n.path("personId").asText(),
                State.parse(n.path("state").asText()),
                text(n, "reason"),
                text(n, "evidence"),
                Instant.parse(n.path("filedAt").asText()),
                Instant.parse(n.path("updatedAt").asText()),
                text(n, "reviewer"),
                text(n, "overrideRequestId"),
                text(n, "proposedColour"),
                text(n, "proposedUntil") == null
                        ? null
                        : Instant.parse(n.path("proposedUntil").asText()),
                text(n, "proposer"),
                text(n, "approver"),
                text(n, "note"),
                text(n, "requestEventId"),
                text(n, "approvalEventId"),
                text(n, "engine"),
                text(n, "engineReason"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
