package org.healthcode.interop.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether one long-running follower of the serving process (status view, audit log, exchange pusher, trust-list
 * refresh) is doing its work, or since when and why it is not. A follower that cannot reach Kafka or the hub keeps
 * retrying with {@link Backoff} and reports {@link #failing}; {@code /health} says {@code degraded} and
 * {@code healthcode_follower_up} is 0 until it succeeds again.
 */
public final class FollowerState {
    /** What {@code /health} shows of a follower. */
    public record View(String name, boolean up, Instant failingSince, String lastError, long failures) {}

    private final String name;
    private final Clock clock;
    private final LongAdder failures = new LongAdder();
    private volatile Instant failingSince;
    private volatile String lastError;

    public FollowerState(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** The follower did its work (a read, a push, a refresh): it is up. Returns true if it was failing. */
    public boolean ok() {
        boolean was = failingSince != null;
        failingSince = null;
        lastError = null;
        return was;
    }

    /** An attempt failed; the follower retries. Returns true if it was up until now. */
    public boolean failing(String error) {
        failures.increment();
        lastError = error;
        if (failingSince == null) {
            failingSince = clock.instant();
            return true;
        }
        return false;
    }

    public boolean up() {
        return failingSince == null;
    }

    public long failures() {
        return failures.sum();
    }

    public View view() {
        return new View(name, failingSince == null, failingSince, lastError, failures.sum());
    }

    /** Retry delays: 1 s doubling to a maximum, back to 1 s after a success. */
    public static final class Backoff {
        private static final Duration FIRST = Duration.ofSeconds(1);
        private final Duration max;
        private Duration next = FIRST;

        public Backoff(Duration max) {
            this.max = max;
        }

        /** The delay before the next attempt; doubles the one after. */
        public Duration next() {
            Duration d = next;
            next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
            return d;
        }

        public void reset() {
            next = FIRST;
        }
    }
}
