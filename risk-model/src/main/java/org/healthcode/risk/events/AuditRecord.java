package org.healthcode.risk.events;

/**
 * One line of the {@code audit} topic ({@code audit.jsonl} in replay): an override request, approval, refusal or
 * withdrawal with what came of it. Nothing in it identifies a person beyond their pseudonym.
 *
 * @param eventId the override event's id
 * @param timeMs its event time
 * @param action {@code request}, {@code approval}, {@code refusal}, {@code withdrawal}, or {@code unknown} for an
 *     unreadable record of the overrides feed
 * @param outcome {@code accepted} or {@code refused}
 * @param requestId the request it concerns, null when unreadable
 * @param personId the person the request named (pseudonym), null when not known
 * @param operator who acted (requester, approver, refusing or withdrawing operator), null when unreadable
 * @param state the request's state after this action: {@code pending}, {@code active}, {@code refused},
 *     {@code withdrawn}, or {@code none} when there is no such request
 * @param colour the colour asked for, when known
 * @param basis the request's written basis, on request lines
 * @param expiryMs the request's expiry, null when not known
 * @param reason why it was refused (or the refusing operator's reason), null when accepted otherwise
 */
public record AuditRecord(
        String eventId,
        long timeMs,
        String action,
        String outcome,
        String requestId,
        String personId,
        String operator,
        String state,
        String colour,
        String basis,
        Long expiryMs,
        String reason) {
    public static final String ACCEPTED = org.healthcode.contracts.audit.OverrideOutcome.ACCEPTED;
    public static final String REFUSED = org.healthcode.contracts.audit.OverrideOutcome.REFUSED;
}
