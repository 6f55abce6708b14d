package org.healthcode.codes.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/** Key ids: the first 8 bytes of a SHA-256 digest. */
public final class KeyIds {
    public static final int LENGTH = 8;

    private KeyIds() {}

    /** Our region keys have no certificate: the kid hashes the SubjectPublicKeyInfo. */
    public static byte[] ofPublicKey(PublicKey key) {
        return first8(key.getEncoded());
    }

    /** The EU DCC hashes the whole DER signer certificate (hcert spec §3.3.1), not its key. */
    public static byte[] ofCertificate(X509Certificate certificate) {
        try {
            return first8(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static byte[] first8(byte[] data) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(data), LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
