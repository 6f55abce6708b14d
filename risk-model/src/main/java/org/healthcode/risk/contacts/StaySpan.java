package org.healthcode.risk.contacts;

/** One stay as a grid cell remembers it: whose, which phone, from when to when, and its first ping. */
public record StaySpan(String personId, String msisdn, long from, long to, String firstPingId) {

    /** Milliseconds of this span inside [windowStart, windowEnd], zero when outside. */
    public long lengthWithin(long windowStart, long windowEnd) {
        return Math.max(0L, Math.min(to, windowEnd) - Math.max(from, windowStart));
    }
}
