package org.healthcode.codes.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.healthcode.codes.format.CoseAlgorithm;

/** Generates fresh region keys (EC P-256 for ES256, Ed25519 for EdDSA) with the JDK; generation is rare, so speed does not matter. */
public final class KeyGeneration {
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyGeneration() {}

    public static RegionKey generate(
            String region, CoseAlgorithm algorithm, Instant notBefore, Duration signingWindow) {
        KeyPair pair = keyPair(algorithm);
        return new RegionKey(
                region,
                KeyIds.ofPublicKey(pair.getPublic()),
                algorithm,
                pair.getPublic(),
                pair.getPrivate(),
                notBefore,
                notBefore.plus(signingWindow));
    }

    public static KeyPair keyPair(CoseAlgorithm algorithm) {
        try {
            return switch (algorithm) {
                case ES256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    yield g.generateKeyPair();
                }
                case EDDSA -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                case PS256 ->
                    throw new IllegalArgumentException("PS256 is verify-only here; region keys are ES256 or EdDSA");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }
}
