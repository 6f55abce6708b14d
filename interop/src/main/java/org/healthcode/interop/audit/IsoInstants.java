package org.healthcode.interop.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes instants as ISO-8601 UTC ({@code 2026-11-27T03:26:18.123456Z}) without {@link Instant#toString()}'s
 * formatter on every call: the date and time up to the second are formatted once per second and reused, the
 * fraction is appended by hand. Same text as {@code Instant.toString()} for every instant after year 0.
 */
final class IsoInstants {
    private static final DateTimeFormatter TO_SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** The last second formatted, and its text: replaced as one object, so readers never see half of it. */
    private record Second(long epochSecond, String text) {}

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private IsoInstants() {}

    static void append(StringBuilder b, Instant at) {
        long second = at.getEpochSecond();
        Second s = last;
        if (s.epochSecond() != second) {
            if (second < -62_135_596_800L || second > 253_402_300_799L) {
                b.append(at); // outside years 1..9999 the plain formatter decides
                return;
            }
            s = new Second(second, TO_SECOND.format(at));
            last = s;
        }
        b.append(s.text());
        int nanos = at.getNano();
        if (nanos != 0) {
            // as Instant.toString: 3, 6 or 9 digits
            if (nanos % 1_000_000 == 0) {
                pad(b.append('.'), nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                pad(b.append('.'), nanos / 1_000, 6);
            } else {
                pad(b.append('.'), nanos, 9);
            }
        }
        b.append('Z');
    }

    private static void pad(StringBuilder b, int value, int digits) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < digits; i++) {
            b.append('0');
        }
        b.append(v);
    }
}
