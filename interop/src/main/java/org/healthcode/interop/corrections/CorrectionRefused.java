package org.healthcode.interop.corrections;

import org.healthcode.interop.http.ErrorReason;

/** A correction action refused by one of {@link CorrectionsService}'s checks: the reason and the words for the caller. */
public final class CorrectionRefused extends Exception {
    private final ErrorReason reason;
    private final long retryAfterSeconds;

    CorrectionRefused(ErrorReason reason, String message) {
        this(reason, message, 0);
    }

    CorrectionRefused(ErrorReason reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorReason reason() {
        return reason;
    }

    /** Seconds to wait before trying again (a {@code Retry-After}), or 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
