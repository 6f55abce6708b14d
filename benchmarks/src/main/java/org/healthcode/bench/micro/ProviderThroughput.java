package org.healthcode.bench.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import org.healthcode.codes.keys.KeyGeneration;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustListPublisher;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;

/**
 * A quick measurement, not a test and not JMH: whole codes issued and verified (CBOR, COSE signature, zlib, Base45 and
 * back) for each provider and algorithm. Besides wall-clock rates on 1 and 2 threads it reports the <b>CPU time per
 * code</b> of the measuring thread (best of several rounds): on a machine shared with other work the wall rates say
 * more about the neighbours than about the code, while CPU time per code still says what one idle core would do
 * ({@code 1e6 / us} codes per second). Run:
 * {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
 * org.healthcode.bench.micro.ProviderThroughput [seconds]}. The JMH benchmark is {@link CodeSigningBenchmark}.
 */
public final class ProviderThroughput {
    private static final int ROUNDS = 5;

    private static final String REGION = "440000";

    private ProviderThroughput() {}

    private static KeyRing keyRing(CoseAlgorithm alg, Instant created) {
        return new KeyRing(
                REGION,
                KeyGeneration.generate(REGION, alg, created, Duration.ofDays(90)),
                KeyGeneration.generate(REGION, alg, created, Duration.ofDays(90)),
                List.of());
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        Instant now = Instant.now();
        System.out.printf(
                "%-4s %-6s %10s %10s %12s %12s %12s %12s%n",
                "prov", "alg", "issue-us", "verify-us", "issued/s-1t", "verified/s-1t", "issued/s-2t", "verified/s-2t");
        for (CryptoProvider provider : CryptoProvider.values()) {
            for (CoseAlgorithm alg : List.of(CoseAlgorithm.ES256, CoseAlgorithm.EDDSA)) {
                CoseCrypto crypto = new CoseCrypto(provider);
                KeyRing ring = keyRing(alg, now.minusSeconds(60));
                CodeIssuer issuer = new CodeIssuer(() -> ring, crypto, Duration.ofMinutes(5));
                CodeVerifier verifier = new CodeVerifier(
                        TrustStore.of(
                                List.of(TrustListPublisher.publish(ring, now, Duration.ofDays(7))), crypto, List.of()),
                        crypto,
                        Duration.ofSeconds(30),
                        Optional.empty());
                String code = issuer.issue("p-0123456789abcdef", Colour.GREEN, now, now)
                        .text();
                Runnable issue = () -> issuer.issue("p-0123456789abcdef", Colour.GREEN, now, now);
                Runnable verify = () -> {
                    if (!verifier.verify(code, now).isValid()) {
                        throw new IllegalStateException("measurement code does not verify");
                    }
                };
                double issueUs = cpuMicrosPerOp(seconds, issue);
                double verifyUs = cpuMicrosPerOp(seconds, verify);
                System.out.printf(
                        "%-4s %-6s %10.1f %10.1f %12.0f %12.0f %12.0f %12.0f%n",
                        provider,
                        alg.jsonName(),
                        issueUs,
                        verifyUs,
                        rate(1, seconds, issue),
                        rate(1, seconds, verify),
                        rate(2, seconds, issue),
                        rate(2, seconds, verify));
            }
        }
    }

    /** CPU microseconds of this thread per operation, the best of {@link #ROUNDS} rounds after a warm-up. */
    private static double cpuMicrosPerOp(double seconds, Runnable op) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int round = -1; round < ROUNDS; round++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long end = System.nanoTime() + (long) (seconds * 1e9 / ROUNDS);
            long n = 0;
            while (System.nanoTime() < end) {
                op.run();
                n++;
            }
            double us = (mx.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
            if (round >= 0) { // round -1 warms up
                best = Math.min(best, us);
            }
        }
        return best;
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
