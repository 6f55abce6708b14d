package org.healthcode.codes.verify;

/** A named check failed with a typed reason; the verifier turns it into the verdict. */
public final class VerificationFailure extends Exception {
    private final FailureReason reason;

    public VerificationFailure(FailureReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
