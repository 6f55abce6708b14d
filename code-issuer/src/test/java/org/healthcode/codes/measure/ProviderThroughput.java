package org.healthcode.codes.measure;

import static org.healthcode.codes.support.TestRegions.GUANGDONG;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.issue.CodeIssuer;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.support.TestRegions;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;

/**
 * A quick measurement, not a test and not JMH: whole codes issued and verified per second (CBOR, COSE signature,
 * zlib, Base45 and back) for each provider and algorithm, on 1 and 2 threads. Run:
 * {@code java -cp "$(cat code-issuer/target/classpath.txt):code-issuer/target/classes:code-issuer/target/test-classes"
 * org.healthcode.codes.measure.ProviderThroughput [seconds]}. The JMH benchmark belongs in the benchmarks module.
 */
public final class ProviderThroughput {
    private ProviderThroughput() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        Instant now = Instant.now();
        System.out.printf("%-4s %-6s %7s %12s %12s%n", "prov", "alg", "threads", "issued/s", "verified/s");
        for (CryptoProvider provider : CryptoProvider.values()) {
            for (CoseAlgorithm alg : List.of(CoseAlgorithm.ES256, CoseAlgorithm.EDDSA)) {
                CoseCrypto crypto = new CoseCrypto(provider);
                KeyRing ring = TestRegions.keyRing(GUANGDONG, alg, now.minusSeconds(60));
                CodeIssuer issuer = new CodeIssuer(() -> ring, crypto, Duration.ofMinutes(5));
                CodeVerifier verifier = new CodeVerifier(
                    TrustStore.of(List.of(TestRegions.trustList(ring, now)), crypto, List.of()), crypto,
                    Duration.ofSeconds(30), Optional.empty());
                String code = issuer.issue("p-0123456789abcdef", Colour.GREEN, now, now).text();
                for (int threads : new int[] {1, 2}) {
                    double issued = rate(threads, seconds,
                        () -> issuer.issue("p-0123456789abcdef", Colour.GREEN, now, now));
                    double verified = rate(threads, seconds, () -> {
                        if (!verifier.verify(code, now).isValid()) {
                            throw new IllegalStateException("measurement code does not verify");
                        }
                    });
                    System.out.printf("%-4s %-6s %7d %12.0f %12.0f%n", provider, alg.jsonName(), threads, issued,
                        verified);
                }
            }
        }
    }

    /** Operations per second over {@code seconds}, after a warm-up of half that. */
    private static double rate(int threads, double seconds, Runnable op) throws InterruptedException {
        run(threads, seconds / 2, op);
        return run(threads, seconds, op) / seconds;
    }

    private static long run(int threads, double seconds, Runnable op) throws InterruptedException {
        AtomicLong count = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    op.run();
                    n++;
                }
                count.addAndGet(n);
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return count.get();
    }
}
