package org.healthcode.codes.keys;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.healthcode.codes.format.CoseAlgorithm;

/**
 * One signing key of a region: its kid, algorithm, key pair and the window in which it may sign
 * (codes it signed stay verifiable after the window closes, until they expire).
 *
 * @param privateKey null for a key known only by its public half
 */
public record RegionKey(
        String region,
        byte[] kid,
        CoseAlgorithm algorithm,
        PublicKey publicKey,
        PrivateKey privateKey,
        Instant notBefore,
        Instant notAfter) {
    public RegionKey {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
    }

    public String kidBase64() {
        return Base64.getEncoder().encodeToString(kid);
    }

    public String kidHex() {
        return java.util.HexFormat.of().formatHex(kid);
    }

    /** The same key with its signing window closed at {@code end} (rotation retires a key this way). */
    public RegionKey retiredAt(Instant end) {
        Instant closed = end.isBefore(notAfter) ? end : notAfter;
        return new RegionKey(region, kid, algorithm, publicKey, privateKey, notBefore, closed);
    }

    public boolean maySignAt(Instant instant) {
        return !instant.isBefore(notBefore) && !instant.isAfter(notAfter);
    }
}
