package org.healthcode.bench.micro;

import java.time.LocalDate;
import java.util.SplittableRandom;
import org.healthcode.ingest.pseudonym.IdNumbers;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Pseudonyms per second: HMAC-SHA256 of a normalised ID number or phone number with the region secret. */
@State(Scope.Thread)
public class PseudonymiserBenchmark {
    private Pseudonymiser pseudonymiser;
    private String[] idNumbers;
    private String[] msisdns;
    private int next;

    @Setup
    public void setUp() {
        byte[] key = new byte[RegionSecret.MIN_BYTES];
        SplittableRandom random = new SplittableRandom(1);
        random.nextBytes(key);
        pseudonymiser = new Pseudonymiser(RegionSecret.ofBytes(key));
        idNumbers = new String[1024];
        msisdns = new String[1024];
        for (int i = 0; i < idNumbers.length; i++) {
            idNumbers[i] = IdNumbers.of("440106", LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20_000)), i % 1000);
            msisdns[i] = "+86138" + String.format("%08d", random.nextInt(100_000_000));
        }
    }

    @Benchmark
    public String personId() {
        next = (next + 1) & 1023;
        return pseudonymiser.personId(idNumbers[next]);
    }

    @Benchmark
    public String phoneId() {
        next = (next + 1) & 1023;
        return pseudonymiser.phoneId(msisdns[next]);
    }
}
