package org.healthcode.codes.trust;

import java.time.Instant;
import java.util.List;

/**
 * One public key in a trust list.
 *
 * @param kid       base64 of the 8-byte key id (SHA-256 of the SubjectPublicKeyInfo, first 8 bytes)
 * @param alg       COSE algorithm name: "ES256" or "EdDSA"
 * @param publicKey base64 DER SubjectPublicKeyInfo
 * @param notBefore start of the window in which the key may sign (a code's iat must fall inside it)
 * @param notAfter  end of that window; codes signed before it stay valid until their own exp
 * @param usage     what the key may sign; {@value #USAGE_HEALTH_CODE} for codes
 * @param status    "previous", "current" or "next"; or {@value #STATUS_WITHDRAWN}: a compromised key, published so
 *                  that verifiers refuse it ({@code TrustStore} skips it; codes it signed fail as unknown key)
 */
public record TrustListKey(
        String kid,
        String alg,
        String publicKey,
        Instant notBefore,
        Instant notAfter,
        List<String> usage,
        String status) {
    public static final String USAGE_HEALTH_CODE = "health-code";
    public static final String STATUS_WITHDRAWN = "withdrawn";

    public TrustListKey {
        usage = List.copyOf(usage);
    }
}
