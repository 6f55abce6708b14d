package org.healthcode.interop.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes instants exactly as {@link Instant#toString()} does ({@code 2026-11-27T03:26:18.123456Z}: ISO-8601 UTC,
 * seconds always, a fraction of 3, 6 or 9 digits when there is one) without its formatter, which costs more than a
 * whole lookup on the hot path. Years outside 0..9999 are left to {@code Instant.toString()}.
 */
public final class IsoInstants {
    private static final long YEAR_0 = -62_167_219_200L;
    private static final long YEAR_10000 = 253_402_300_800L;

    private IsoInstants() {}

    /** Appends {@code at} as {@code Instant.toString()} would. */
    public static void append(StringBuilder b, Instant at) {
        append(b, at.getEpochSecond(), at.getNano());
    }

    /** Appends the instant {@code epochMs} as {@code Instant.ofEpochMilli(epochMs).toString()} would. */
    public static void appendMillis(StringBuilder b, long epochMs) {
        append(b, Math.floorDiv(epochMs, 1000), (int) Math.floorMod(epochMs, 1000) * 1_000_000);
    }

    private static void append(StringBuilder b, long second, int nanos) {
        if (second < YEAR_0 || second >= YEAR_10000) {
            b.append(Instant.ofEpochSecond(second, nanos));
            return;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        pad(b, t.getYear(), 4);
        pad(b.append('-'), t.getMonthValue(), 2);
        pad(b.append('-'), t.getDayOfMonth(), 2);
        pad(b.append('T'), t.getHour(), 2);
        pad(b.append(':'), t.getMinute(), 2);
        pad(b.append(':'), t.getSecond(), 2);
        if (nanos != 0) {
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
        int limit = 1;
        for (int i = 1; i < digits; i++) {
            limit *= 10;
        }
        while (limit > 1 && value < limit) {
            b.append('0');
            limit /= 10;
        }
        b.append(value);
    }
}
