package org.healthcode.codes.trust;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Set;
import org.healthcode.codes.format.CoseAlgorithm;

/** A public key a verifier trusts, with the region that published it and how long that list stays usable. */
public record TrustedKey(String region, byte[] kid, CoseAlgorithm algorithm, PublicKey publicKey, Instant notBefore,
                         Instant notAfter, Set<String> usage, Instant listExpiresAt) {
    public TrustedKey {
        usage = Set.copyOf(usage);
    }
}
