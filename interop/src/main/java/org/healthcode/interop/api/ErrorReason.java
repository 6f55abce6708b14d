package org.healthcode.interop.api;

/**
 * Why a request was not answered with a status: the one place that maps each reason to its stable error code (the
 * {@code error} field of the JSON body, never renamed once published) and its HTTP status.
 */
public enum ErrorReason {
    /** The person id is not 1 to 64 characters of {@code [A-Za-z0-9_-]}. */
    MALFORMED_PERSON_ID("malformed_person_id", 400),
    /** The view holds no status for this person (never seen, or removed). */
    UNKNOWN_PERSON("unknown_person", 404),
    /** No such resource. */
    NOT_FOUND("not_found", 404),
    /** The resource exists but not for this HTTP method. */
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** Too many requests in flight: shed at once (with Retry-After) instead of queueing. */
    OVERLOADED("overloaded", 503),
    /** The view is not open (starting or stopping). */
    UNAVAILABLE("unavailable", 503),
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
