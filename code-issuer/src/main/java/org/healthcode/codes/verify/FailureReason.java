package org.healthcode.codes.verify;

import java.util.Locale;

/**
 * Why a check failed, finer than the verdict; {@link #result()} is the one place that maps reasons to verdicts.
 * The lower-case name appears as {@code reason} in the verdict line.
 */
public enum FailureReason {
    /** No prefix we know (neither HCR nor HC). */
    UNKNOWN_PREFIX,
    /** HCR or HC prefix with a version this verifier does not read. */
    UNSUPPORTED_FORMAT_VERSION,
    BASE45_INVALID,
    COMPRESSION_INVALID,
    COSE_STRUCTURE_INVALID,
    /** The protected header names no algorithm or one we do not verify. */
    ALGORITHM_UNSUPPORTED,
    KID_MISSING,
    KEY_UNKNOWN,
    /** The trust list that holds the key has expired (the checkpoint is offline too long). */
    TRUST_LIST_EXPIRED,
    /** The header names another algorithm than the one the key is published for. */
    ALGORITHM_NOT_KEYS,
    SIGNATURE_INVALID,
    /** Signed, but the claims are not a well-formed claim set. */
    CLAIMS_INVALID,
    /** The key is not published for this use (usage list lacks it). */
    KEY_NOT_FOR_THIS_USE,
    /** The claimed issuer region is not the region that published the key. */
    ISSUER_NOT_KEY_REGION,
    /** The code says it was signed outside the key's (or the DSC certificate's) validity. */
    SIGNED_OUTSIDE_KEY_VALIDITY,
    /** EU DCC: the signer certificate's extended key usage excludes this certificate type. */
    DSC_NOT_FOR_CERTIFICATE_TYPE,
    NOT_YET_VALID,
    EXPIRED,
    /** exp - iat is longer than any code may live ({@code CodeVerifier.MAX_CODE_LIFETIME}): a minted code. */
    LIFETIME_TOO_LONG;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public VerdictResult result() {
        return switch (this) {
            case UNKNOWN_PREFIX,
                    BASE45_INVALID,
                    COMPRESSION_INVALID,
                    COSE_STRUCTURE_INVALID,
                    ALGORITHM_UNSUPPORTED,
                    KID_MISSING,
                    CLAIMS_INVALID -> VerdictResult.MALFORMED;
            case UNSUPPORTED_FORMAT_VERSION -> VerdictResult.UNSUPPORTED_VERSION;
            case KEY_UNKNOWN -> VerdictResult.UNKNOWN_KEY;
            case TRUST_LIST_EXPIRED -> VerdictResult.TRUST_LIST_EXPIRED;
            case SIGNATURE_INVALID -> VerdictResult.BAD_SIGNATURE;
            case ALGORITHM_NOT_KEYS,
                    KEY_NOT_FOR_THIS_USE,
                    ISSUER_NOT_KEY_REGION,
                    SIGNED_OUTSIDE_KEY_VALIDITY,
                    DSC_NOT_FOR_CERTIFICATE_TYPE -> VerdictResult.WRONG_KEY_USAGE;
            case NOT_YET_VALID -> VerdictResult.NOT_YET_VALID;
            case EXPIRED, LIFETIME_TOO_LONG -> VerdictResult.EXPIRED;
        };
    }
}
