package org.healthcode.codes.trust;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;
import org.healthcode.codes.crypto.PreparedVerifier;
import org.healthcode.codes.format.CoseAlgorithm;

/**
 * A public key a verifier trusts, with the region that published it and how long that list stays usable.
 *
 * @param verifier the key made ready to verify with the store's provider (converted once, when the list loads)
 */
public record TrustedKey(
        String region,
        byte[] kid,
        CoseAlgorithm algorithm,
        PublicKey publicKey,
        Instant notBefore,
        Instant notAfter,
        Set<String> usage,
        Instant listExpiresAt,
        PreparedVerifier verifier) {
    public TrustedKey {
        usage = Set.copyOf(usage);
    }
}
