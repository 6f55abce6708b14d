package org.healthcode.bench.micro;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.issue.CodeIssuer;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.keys.KeyGeneration;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustListPublisher;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.Verdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Whole health codes issued and verified per second (claims to CBOR, COSE_Sign1, zlib, Base45 and back, signature
 * included), for each signature algorithm and JCA provider the code issuer supports.
 */
@State(Scope.Benchmark)
public class CodeSigningBenchmark {
    private static final Instant NOW = Instant.parse("2022-04-04T01:00:00Z");
    private static final String REGION = "440000";

    @Param({"EDDSA", "ES256"})
    public String algorithm;

    @Param({"JDK", "BC"})
    public String provider;

    private CodeIssuer issuer;
    private CodeVerifier verifier;
    private String code;

    @Setup
    public void setUp() throws Exception {
        CoseAlgorithm alg = CoseAlgorithm.valueOf(algorithm);
        CoseCrypto crypto = new CoseCrypto(CryptoProvider.valueOf(provider));
        KeyRing ring = new KeyRing(
                REGION,
                KeyGeneration.generate(REGION, alg, NOW.minusSeconds(60), Duration.ofDays(90)),
                KeyGeneration.generate(REGION, alg, NOW.minusSeconds(60), Duration.ofDays(90)),
                List.of());
        issuer = new CodeIssuer(() -> ring, crypto, Duration.ofMinutes(5));
        verifier = new CodeVerifier(
                TrustStore.of(List.of(TrustListPublisher.publish(ring, NOW, Duration.ofDays(7))), crypto, List.of()),
                crypto,
                Duration.ofSeconds(30),
                Optional.empty());
        code = issuer.issue("bench-person-0001", Colour.GREEN, NOW.minusSeconds(3600), NOW)
                .text();
        if (!verifier.verify(code, NOW).isValid()) {
            throw new IllegalStateException("the benchmark's own code does not verify: " + verifier.verify(code, NOW));
        }
    }

    @Benchmark
    public String issue() {
        return issuer.issue("bench-person-0001", Colour.GREEN, NOW.minusSeconds(3600), NOW)
                .text();
    }

    @Benchmark
    public Verdict verify() {
        return verifier.verify(code, NOW);
    }
}
