package org.healthcode.interop.audit;

/**
 * An audit record could not be recorded: the decision it records must not be answered (a lookup nobody can be told
 * about is a privacy breach), so callers answer 503 {@code unavailable} instead of the result.
 */
public final class AuditUnavailableException extends RuntimeException {
    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
