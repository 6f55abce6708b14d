package org.healthcode.risk.events;

/**
 * A reviewed override taking effect or ending for one person, decided by {@code OverrideReview}: an input of the
 * per-person risk state.
 *
 * @param id {@code override-} + the approval's or withdrawal's event id
 * @param personId the person the request named
 * @param active true: the override is in force from {@code timeMs}; false: it is withdrawn at {@code timeMs}
 * @param timeMs the approval's or withdrawal's event time
 * @param terms colour, expiry and both operators
 * @param requestEventId the request's event id
 * @param decisionEventId the approval's or withdrawal's event id
 */
public record OverrideDecision(
        String id,
        String personId,
        boolean active,
        long timeMs,
        OverrideTerms terms,
        String requestEventId,
        String decisionEventId) {}
