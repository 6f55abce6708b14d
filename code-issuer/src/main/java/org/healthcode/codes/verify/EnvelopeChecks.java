package org.healthcode.codes.verify;

import org.healthcode.codes.format.Base45;
import org.healthcode.codes.format.CodeFormatException;
import org.healthcode.codes.format.CoseSign1;
import org.healthcode.codes.format.Zlib;

/** The unpacking steps our codes and the EU DCC share: Base45 -> zlib -> COSE_Sign1, each failing with its reason. */
public final class EnvelopeChecks {
    private EnvelopeChecks() {}

    public static byte[] base45(String body) throws VerificationFailure {
        try {
            return Base45.decode(body);
        } catch (CodeFormatException e) {
            throw new VerificationFailure(FailureReason.BASE45_INVALID, e.getMessage());
        }
    }

    public static byte[] inflate(byte[] compressed) throws VerificationFailure {
        try {
            return Zlib.inflate(compressed);
        } catch (CodeFormatException e) {
            throw new VerificationFailure(FailureReason.COMPRESSION_INVALID, e.getMessage());
        }
    }

    public static CoseSign1 cose(byte[] bytes) throws VerificationFailure {
        try {
            return CoseSign1.decode(bytes);
        } catch (CodeFormatException e) {
            throw new VerificationFailure(FailureReason.COSE_STRUCTURE_INVALID, e.getMessage());
        }
    }

    /** Base45, then zlib, then COSE_Sign1. */
    public static CoseSign1 unpack(String body) throws VerificationFailure {
        return cose(inflate(base45(body)));
    }
}
