package org.healthcode.interop.http;

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
    /** The resource is not in a state that allows this action (e.g. approving a request nothing was proposed for). */
    CONFLICT("conflict", 409),
    /** This caller exceeded its rate limit: retry after the Retry-After seconds. */
    RATE_LIMITED("rate_limited", 429),
    /** The endpoint needs something this process was not configured with (e.g. no trust list yet, no peer URL). */
    NOT_CONFIGURED("not_configured", 503),
    /** Too many requests in flight: shed at once (with Retry-After) instead of queueing. */
    OVERLOADED("overloaded", 503),
    /**
     * The status view is older than the serving process's bound ({@code --max-view-age-ms}): it has not caught up
     * with the status topic for that long (broker unreachable, consumer stopped or far behind), so it is not trusted
     * to answer.
     */
    VIEW_STALE("view_stale", 503),
    /** The view is not open (starting or stopping). */
    UNAVAILABLE("unavailable", 503),
    /** The request body is larger than the endpoint accepts. */
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    /** The request line or its headers are larger than the server reads. */
    HEADERS_TOO_LARGE("headers_too_large", 431),
    /** The client stopped sending its request before it was complete (idle timeout). */
    REQUEST_TIMEOUT("request_timeout", 408),
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

    /**
     * The reason for an HTTP status that Jetty itself decided (a bad request line, a missing handler, a failure):
     * its own reason where one has this status, else {@link #MALFORMED_REQUEST} for 4xx and {@link #INTERNAL} for
     * the rest.
     */
    public static ErrorReason forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 408 -> REQUEST_TIMEOUT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414, 431 -> HEADERS_TOO_LARGE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL;
        };
    }

    /** The stable error code clients may switch on. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
