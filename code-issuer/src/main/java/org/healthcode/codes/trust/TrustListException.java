package org.healthcode.codes.trust;

/** A trust-list file cannot be used: unreadable, not our format, or its hub signature does not verify. */
public final class TrustListException extends Exception {
    public TrustListException(String message) {
        super(message);
    }

    public TrustListException(String message, Throwable cause) {
        super(message, cause);
    }
}
