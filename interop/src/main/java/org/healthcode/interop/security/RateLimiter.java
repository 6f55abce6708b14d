package org.healthcode.interop.security;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-caller token buckets: each caller may make {@code rate} requests per second of its role, with bursts of up to
 * one second's worth. A caller over its limit is told how long to wait (the Retry-After seconds).
 */
public final class RateLimiter {
    private final Map<Role, Integer> perSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Map<Role, Integer> perSecond, Clock clock) {
        this.perSecond = new EnumMap<>(perSecond);
        this.clock = clock;
    }

    /** 0 when the request is admitted, else the whole seconds to wait before the next one would be. */
    public long admit(Caller caller) {
        return admit(caller, 1);
    }

    /**
     * As {@link #admit(Caller)} for a request that costs {@code count} requests (a batch: each id is a lookup);
     * either all are taken or none. -1 when {@code count} exceeds a second's worth: such a request is never admitted.
     */
    public long admit(Caller caller, int count) {
        int rate = perSecond.getOrDefault(caller.role(), 0);
        if (rate <= 0 || count <= 0) {
            return 0; // unlimited for this role
        }
        if (count > rate) {
            return -1;
        }
        Bucket b = buckets.computeIfAbsent(caller.role().wireName() + "/" + caller.name(), k -> new Bucket(rate));
        return b.take(clock.millis(), rate, count);
    }

    /** Tokens refill continuously at {@code rate} per second up to {@code rate}. */
    private static final class Bucket {
        private double tokens;
        private long lastMs = -1;

        Bucket(int rate) {
            this.tokens = rate;
        }

        synchronized long take(long nowMs, int rate, int count) {
            if (lastMs >= 0 && nowMs > lastMs) {
                tokens = Math.min(rate, tokens + (nowMs - lastMs) * rate / 1000.0);
            }
            lastMs = Math.max(lastMs, nowMs);
            if (tokens >= count) {
                tokens -= count;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((count - tokens) / rate));
        }
    }
}
