package org.healthcode.codes.trust;

/**
 * The national hub's signature over a trust list (the hub produces it; we verify it when present).
 *
 * @param kid       base64 key id of the hub key
 * @param alg       "ES256" or "EdDSA"
 * @param signature base64 signature over {@link TrustListJson#signedBytes} (ES256 as raw r||s)
 */
public record HubSignature(String kid, String alg, String signature) {}
