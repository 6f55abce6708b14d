package org.healthcode.codes.crypto;

/** A public key made ready to verify many signatures (see {@link PreparedSigner}). Thread-safe. */
@FunctionalInterface
public interface PreparedVerifier {
    /** False for any signature that does not verify, including one of the wrong length. */
    boolean verify(byte[] toBeSigned, byte[] signature);
}
