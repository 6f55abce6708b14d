package org.healthcode.ingest.city;

import java.io.IOException;

/** Holds the city back to {@code speed} times real time (0: no pacing), flushing the sink before it sleeps. */
final class Pacer {
    private final double speed;
    private final long simStart;
    private final long wallStartNanos;

    Pacer(double speed, long simStart) {
        this.speed = speed;
        this.simStart = simStart;
        this.wallStartNanos = System.nanoTime();
    }

    void await(long simTime, CitySink sink) throws IOException, InterruptedException {
        if (speed <= 0) {
            return;
        }
        long dueNanos = wallStartNanos + (long) ((simTime - simStart) * 1_000_000.0 / speed);
        long wait = dueNanos - System.nanoTime();
        if (wait > 2_000_000L) {
            sink.flush();
            long waitMs = (dueNanos - System.nanoTime()) / 1_000_000L;
            if (waitMs > 0) {
                Thread.sleep(waitMs);
            }
        }
    }
}
