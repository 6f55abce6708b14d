package org.healthcode.interop.api;

/**
 * Why a request was not answered with a status: the one place that maps each reason to its stable error code (the
 * {@code error} field of the JSON body, never renamed once published) and its HTTP status.
 */
public enum ErrorReason {
    /** The person id is not 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
    MALFORMED_PERSON_ID("malformed_person_id", 400),
    /** The request body is not what the endpoint takes (bad JSON, missing or invalid field, too many ids). */
    MALFORMED_REQUEST("malformed_request", 400),
    /** No credentials, or credentials that match nothing (unknown API key, certificate without a role). */
    UNAUTHENTICATED("unauthenticated", 401),
    /** Authenticated, but the caller's role may not use this endpoint (e.g. a checkpoint asking for reasons). */
    FORBIDDEN("forbidden", 403),
    /** The caller acts for another region than the request names (a push "from" a region it is not). */
    WRONG_REGION("wrong_region", 403),
    /** A key registration at the hub whose signature does not verify with a key the hub trusts for that region. */
    REGISTRATION_REJECTED("registration_rejected", 403),
    /** The view holds no status for this person (never seen, or removed). */
    UNKNOWN_PERSON("unknown_person", 404),
    /** No such resource. */
    NOT_FOUND("not_found", 404),
    /** The resource exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** This caller exceeded its rate limit: retry after the Retry-After seconds. */
    RATE_LIMITED("rate_limited", 429),
    /** The endpoint needs something this process was not configured with (e.g. no trust list yet, no peer URL). */
    NOT_CONFIGURED("not_configured", 503),
    /** Too many requests in flight: shed at once (with Retry-After) instead of queueing. */
    OVERLOADED("overloaded", 503),
    /** The view is not open (starting or stopping). */
    UNAVAILABLE("unavailable", 503),
    /** The request body is larger than the endpoint accepts. */
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    /** An uploaded picture holds no readable QR code. */
    NO_QR_CODE("no_qr_code", 422),
    /** A bug or a damaged store; details are in the log, not in the response. */
    INTERNAL("internal_error", 500);

    private final String code;
    private final int httpStatus;

    ErrorReason(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The stable error code clients may switch on. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
