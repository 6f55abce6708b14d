package org.healthcode.codes.verify;

/** The outcome a checkpoint acts on; {@link #wire()} is the stable string in the verdict line. */
public enum VerdictResult {
    VALID("valid"),
    EXPIRED("expired"),
    NOT_YET_VALID("not_yet_valid"),
    BAD_SIGNATURE("bad_signature"),
    UNKNOWN_KEY("unknown_key"),
    MALFORMED("malformed"),
    UNSUPPORTED_VERSION("unsupported_version"),
    WRONG_KEY_USAGE("wrong_key_usage"),
    /** Our addition to the list: the checkpoint's own trust list is past its expiry; fetch a new one. */
    TRUST_LIST_EXPIRED("trust_list_expired");

    private final String wire;

    VerdictResult(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
