package org.healthcode.risk.sources;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.risk.events.FeedRecord;

/**
 * How far a replay has read: records read and the latest event time among them, counted where the records leave
 * the source. The counters are static, so they see the job only when it runs in this JVM (the local MiniCluster of
 * {@code ./healthcode replay}); on a cluster the line stays at zero, and results are unaffected either way.
 */
public final class ReplayProgress {
    private static final LongAdder READ = new LongAdder();
    private static final AtomicLong LATEST = new AtomicLong(Long.MIN_VALUE);
    /** System.nanoTime() when the first record was read, 0 before. */
    private static final AtomicLong FIRST_READ = new AtomicLong();

    private ReplayProgress() {}

    /** Starts counting from zero (one replay at a time per JVM shows a meaningful line). */
    public static void reset() {
        READ.reset();
        LATEST.set(Long.MIN_VALUE);
        FIRST_READ.set(0);
    }

    /**
     * Time since the first record was read (zero before): the rate and the ETA count from there, not from the job's
     * submission, whose start-up would make the early ETAs many times too long.
     */
    public static Duration reading() {
        return reading(System.nanoTime());
    }

    static Duration reading(long nowNanos) {
        long first = FIRST_READ.get();
        return first == 0 ? Duration.ZERO : Duration.ofNanos(nowNanos - first);
    }

    public static long read() {
        return READ.sum();
    }

    /** The latest event time read so far, or Long.MIN_VALUE. */
    public static long latestEventTime() {
        return LATEST.get();
    }

    /**
     * One progress line: a bar, records read of the total, event time reached, rate and ETA of the reading.
     *
     * @param total records in the archive, or -1 when unknown (Kafka)
     * @param elapsed time spent reading ({@link #reading()})
     */
    public static String line(long read, long total, long latest, Duration elapsed) {
        StringBuilder b = new StringBuilder("[replay] ");
        double secs = Math.max(elapsed.toMillis(), 1) / 1000.0;
        if (total > 0) {
            int width = 24;
            int done = (int) Math.min(width, read * width / total);
            b.append('[')
                    .append("#".repeat(done))
                    .append(".".repeat(width - done))
                    .append("] ")
                    .append(String.format("%3d%% ", read * 100 / total));
        }
        b.append(String.format("%,d", read));
        if (total > 0) {
            b.append(String.format(" of %,d", total));
        }
        b.append(" events read");
        if (latest != Long.MIN_VALUE) {
            b.append(", event time ").append(Instant.ofEpochMilli(latest));
        }
        if (read == 0) {
            return b.append(", starting").toString();
        }
        if (total > 0 && read >= total) {
            return b.append(", all read: applying the end of input (pending timers)")
                    .toString();
        }
        b.append(String.format(", %,.0f events/s", read / secs));
        if (total > 0) {
            long eta = (long) (secs * (total - read) / read);
            b.append(String.format(", ETA %dm%02ds", eta / 60, eta % 60));
        }
        return b.toString();
    }

    /** Counts each record as it passes (records are not changed). */
    public static final class Probe implements MapFunction<FeedRecord, FeedRecord> {
        @Override
        public FeedRecord map(FeedRecord r) {
            READ.increment();
            if (FIRST_READ.get() == 0) {
                FIRST_READ.compareAndSet(0, System.nanoTime());
            }
            if (r.isEvent()) {
                long t = r.event().time();
                long seen = LATEST.get();
                while (t > seen && !LATEST.compareAndSet(seen, t)) {
                    seen = LATEST.get();
                }
            }
            return r;
        }
    }
}
