package org.healthcode.interop.audit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line a period through and counts the ones it holds back, so a failure that repeats at the request
 * rate (every audit record of a batch the broker did not acknowledge) is logged at a steady rate, with the count,
 * instead of costing a line per request while the service is already in trouble.
 */
final class LogThrottle {
    private static final long NEVER = Long.MIN_VALUE;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextAt = new AtomicLong(NEVER);
    private final AtomicLong heldBack = new AtomicLong();

    LogThrottle(Duration period, LongSupplier nanoTime) {
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /** -1: hold this line back (it is counted); otherwise log it, with this many lines held back since the last. */
    long admit() {
        long now = nanoTime.getAsLong();
        long due = nextAt.get();
        if ((due != NEVER && now - due < 0) || !nextAt.compareAndSet(due, now + periodNanos)) {
            heldBack.incrementAndGet();
            return -1;
        }
        return heldBack.getAndSet(0);
    }
}
