package org.healthcode.ingest.wire;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times on the wire: ISO-8601 with an offset ({@code 2022-04-01T09:30:00+08:00}, {@code ...Z}); a time without
 * an offset is rejected, because guessing the zone of a feed is worse than asking the feed to say it.
 */
public final class IsoTimes {
    /** China Standard Time: the offset the synthetic city writes and the zone of date-only fields. */
    public static final ZoneOffset CST = ZoneOffset.ofHours(8);
    /** Earliest accepted instant (2000-01-01Z): a typo in the year must not drag event time decades back. */
    public static final long MIN_MS = 946_684_800_000L;
    /** First instant no longer accepted (2100-01-01Z): nor push the watermark a century ahead. */
    public static final long MAX_MS = 4_102_444_800_000L;

    private IsoTimes() {}

    /** Epoch ms of an ISO-8601 date-time with offset; throws DateTimeParseException otherwise. */
    public static long parse(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    }

    /** Epoch ms of the start of an ISO date ({@code 2022-04-01}) in UTC+8. */
    public static long parseDate(String text) {
        return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(CST).toEpochMilli();
    }

    public static boolean inRange(long epochMs) {
        return epochMs >= MIN_MS && epochMs < MAX_MS;
    }

    /** {@code 2022-04-01T09:30:00+08:00} (milliseconds only when not zero). */
    public static String format(long epochMs) {
        return format(epochMs, CST);
    }

    public static String format(long epochMs, ZoneOffset offset) {
        long sec = Math.floorDiv(epochMs, 1000);
        int ms = (int) Math.floorMod(epochMs, 1000);
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, 0, offset);
        StringBuilder b = new StringBuilder(29);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2);
        if (ms != 0) {
            pad(b.append('.'), ms, 3);
        }
        return b.append(offset.getTotalSeconds() == 0 ? "Z" : offset.getId()).toString();
    }

    /** {@code 2022-04-01} in UTC+8. */
    public static String formatDate(long epochMs) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMs, 1000), 0, CST).toLocalDate().toString();
    }

    private static StringBuilder pad(StringBuilder b, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    /** True when {@code text} parses as ISO-8601 with offset (used in tests and docs checks). */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
