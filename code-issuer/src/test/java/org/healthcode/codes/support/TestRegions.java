package org.healthcode.codes.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.Base45;
import org.healthcode.codes.format.CodeFormatException;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.format.Zlib;
import org.healthcode.codes.issue.CodeIssuer;
import org.healthcode.codes.issue.CodePrefix;
import org.healthcode.codes.keys.KeyGeneration;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListPublisher;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;

/** Fixtures: named instants, regions with fresh key rings, issuers and verifiers over their trust lists. */
public final class TestRegions {
    public static final Instant MONDAY_9AM = Instant.parse("2022-04-04T01:00:00Z");
    public static final String GUANGDONG = "440000";
    public static final String SHANGHAI = "310000";
    public static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    public static final Duration SKEW = Duration.ofSeconds(30);
    public static final CoseCrypto JDK = new CoseCrypto(CryptoProvider.JDK);

    private TestRegions() {}

    public static KeyRing keyRing(String region, CoseAlgorithm alg, Instant created) {
        return new KeyRing(
                region,
                KeyGeneration.generate(region, alg, created, Duration.ofDays(90)),
                KeyGeneration.generate(region, alg, created, Duration.ofDays(90)),
                List.of());
    }

    public static CodeIssuer issuer(KeyRing ring) {
        return new CodeIssuer(() -> ring, JDK, FIVE_MINUTES);
    }

    public static TrustList trustList(KeyRing ring, Instant now) {
        return TrustListPublisher.publish(ring, now, Duration.ofDays(7));
    }

    public static CodeVerifier verifier(TrustList... lists) {
        try {
            return new CodeVerifier(TrustStore.of(List.of(lists), JDK, List.of()), JDK, SKEW, Optional.empty());
        } catch (TrustListException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The COSE bytes inside a code, to craft broken variants. */
    public static byte[] coseOf(String code) {
        try {
            return Zlib.inflate(Base45.decode(CodePrefix.body(code)));
        } catch (CodeFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String codeOf(byte[] cose) {
        return CodePrefix.CURRENT + Base45.encode(Zlib.deflate(cose));
    }
}
