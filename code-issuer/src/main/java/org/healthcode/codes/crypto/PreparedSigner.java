package org.healthcode.codes.crypto;

/**
 * A private key made ready to sign many times: converted to the provider's own form once, with nothing looked up per
 * signature. Thread-safe.
 */
@FunctionalInterface
public interface PreparedSigner {
    /** The COSE signature over {@code toBeSigned} (r||s for ES256, 64 bytes for Ed25519). */
    byte[] sign(byte[] toBeSigned);
}
