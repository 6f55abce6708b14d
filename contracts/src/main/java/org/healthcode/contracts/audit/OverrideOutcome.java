package org.healthcode.contracts.audit;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The risk job's decision on one override event, as its record on the {@code audit} topic carries it: the common
 * fields of {@link AuditLine} ({@code caller} the operator, {@code action} what the event was, {@code subject} the
 * person, {@code result} {@value #ACCEPTED} or {@value #REFUSED}) and the job's own fields ({@value #EVENT_ID},
 * {@value #REQUEST_ID}, {@value #STATE}, {@value #REASON}). The job writes it; the serving process reads it back to
 * follow what became of the overrides it proposed (correction requests).
 *
 * @param at the override event's time
 * @param action {@value #REQUEST}, {@value #APPROVAL}, {@value #REFUSAL} or {@value #WITHDRAWAL}
 * @param result {@value #ACCEPTED} or {@value #REFUSED}
 * @param eventId the override event's id
 * @param requestId the request it concerns
 * @param personId the person the request names, null when the job does not know it (a rejected record)
 * @param operator who acted, null when not known
 * @param state the request's state after it ({@code pending}, {@code active}, {@code refused}, {@code withdrawn},
 *     {@code none})
 * @param reason why it was refused, or null
 */
public record OverrideOutcome(
        Instant at,
        String action,
        String result,
        String eventId,
        String requestId,
        String personId,
        String operator,
        String state,
        String reason) {
    public static final String EVENT_ID = "eventId";
    public static final String REQUEST_ID = "requestId";
    public static final String STATE = "state";
    public static final String COLOUR = "colour";
    public static final String BASIS = "basis";
    public static final String EXPIRY = "expiry";
    public static final String REASON = "reason";

    public static final String REQUEST = "request";
    public static final String APPROVAL = "approval";
    public static final String REFUSAL = "refusal";
    public static final String WITHDRAWAL = "withdrawal";
    public static final String ACCEPTED = "accepted";
    public static final String REFUSED = "refused";

    private static final Set<String> ACTIONS = Set.of(REQUEST, APPROVAL, REFUSAL, WITHDRAWAL);
    private static final String[] FIELDS = {
        AuditLine.AT,
        AuditLine.ACTION,
        AuditLine.RESULT,
        EVENT_ID,
        REQUEST_ID,
        AuditLine.SUBJECT,
        AuditLine.CALLER,
        STATE,
        REASON
    };

    /** Whether the job accepted the event. */
    public boolean accepted() {
        return ACCEPTED.equals(result);
    }

    /**
     * The job's decision an audit record carries, or empty for any other record (a lookup, a correction step, an
     * unreadable overrides record without a request id): only the job writes {@value #REQUEST_ID} and
     * {@value #EVENT_ID}.
     *
     * @throws IOException when the bytes are not a JSON object with an {@code at}
     */
    public static Optional<OverrideOutcome> read(byte[] json) throws IOException {
        String[] v = AuditLine.readTextFields(json, FIELDS);
        if (v[3] == null
                || v[4] == null
                || !ACTIONS.contains(v[1])
                || !(ACCEPTED.equals(v[2]) || REFUSED.equals(v[2]))) {
            return Optional.empty();
        }
        return Optional.of(new OverrideOutcome(AuditLine.at(v[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
    }
}
