package org.healthcode.risk.state;

/**
 * The keyed state of one override request in {@code OverrideReview}.
 *
 * <p>End of life: cleared by an event-time timer {@code RETENTION} after the later of the request's time and its
 * expiry; after that, approvals of it are refused as unknown.
 *
 * @param requestId the request's id (the key)
 * @param requestEventId the request's event id
 * @param requestTimeMs the request's event time
 * @param personId the person it names
 * @param colour the colour asked for
 * @param basis the written basis
 * @param expiryMs when it ends
 * @param requester who asked
 * @param state {@code pending}, {@code active}, {@code refused} or {@code withdrawn}
 * @param approver who approved it, once active
 */
public record ReviewState(
        String requestId,
        String requestEventId,
        long requestTimeMs,
        String personId,
        String colour,
        String basis,
        long expiryMs,
        String requester,
        String state,
        String approver) {

    public ReviewState with(String newState, String newApprover) {
        return new ReviewState(
                requestId,
                requestEventId,
                requestTimeMs,
                personId,
                colour,
                basis,
                expiryMs,
                requester,
                newState,
                newApprover);
    }
}
