package org.healthcode.codes.trust;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A region's published public keys with the list's own validity; checkpoints verify offline from it until
 * {@code expiresAt}.
 */
public record TrustList(
        String region,
        Instant issuedAt,
        Instant expiresAt,
        List<TrustListKey> keys,
        Optional<HubSignature> hubSignature) {
    public static final String FORMAT = "healthcode-trust-list";
    public static final int VERSION = 1;

    public TrustList {
        keys = List.copyOf(keys);
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt);
    }

    public TrustList withHubSignature(HubSignature signature) {
        return new TrustList(region, issuedAt, expiresAt, keys, Optional.of(signature));
    }
}
