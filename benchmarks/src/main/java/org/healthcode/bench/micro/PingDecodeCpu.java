package org.healthcode.bench.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;

/**
 * CPU time of the measuring thread per decoded Protobuf carrier ping (decode, validate, pseudonymise the phone), best
 * of 7 rounds over 200 000 pings of 50 000 phones: what an idle core spends, much less sensitive to the other load on
 * this shared machine than wall-clock throughput. Run from the project root after a build:
 * <pre>
 * java -cp "benchmarks/target/classes:ingest/target/ingest-0.1.0-SNAPSHOT.jar:$(cat ingest/target/classpath.txt)" \
 *   org.healthcode.bench.micro.PingDecodeCpu
 * </pre>
 */
public final class PingDecodeCpu {
    private PingDecodeCpu() {}

    public static void main(String[] args) {
        byte[] key = new byte[RegionSecret.MIN_BYTES];
        new SplittableRandom(1).nextBytes(key);
        StandardEventDecoder decoder = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(key)));
        SplittableRandom r = new SplittableRandom(2);
        int n = 200_000;
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            long t = 1_648_742_400_000L + i * 17_000L;
            String time = Instant.ofEpochMilli(t)
                    .atOffset(ZoneOffset.ofHours(8))
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            values[i] = Event.newBuilder()
                    .setFeed("carrier")
                    .setType("ping")
                    .setEventId("cmcc-" + i)
                    .setTime(time)
                    .setRegion("440100")
                    .setMsisdn("+86138" + String.format("%08d", r.nextInt(50_000)))
                    .setPing(Ping.newBuilder()
                            .setLat(23.0 + r.nextDouble() * 0.3)
                            .setLon(113.2 + r.nextDouble() * 0.3))
                    .build()
                    .toByteArray();
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < 7; round++) {
            long c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                Decoded d = decoder.decodeProto(values[i], "carrier", 0, i);
                if (!d.isOk()) {
                    throw new IllegalStateException(
                            "a valid ping was rejected: " + d.rejected().reason());
                }
                sink += d.event().msisdn().hashCode();
            }
            best = Math.min(best, (mx.getCurrentThreadCpuTime() - c0) / (double) n);
        }
        System.out.printf(
                "PING DECODE %.0f ns CPU per ping (best of 7 rounds of %,d) = %,.0f pings per CPU-second%s%n",
                best, n, 1e9 / best, sink == 42 ? " " : "");
    }
}
