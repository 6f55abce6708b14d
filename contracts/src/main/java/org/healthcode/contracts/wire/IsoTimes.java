package org.healthcode.contracts.wire;

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
        long fast = parseCommonForm(text);
        if (fast != NOT_COMMON) {
            return fast;
        }
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant()
                .toEpochMilli();
    }

    private static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The form every feed writes, {@code 2022-04-01T09:30:00+08:00} or {@code ...Z} (seconds, no fraction), read
     * without the general formatter (it was a tenth of the job's decode time); anything else, valid or not, is
     * {@link #NOT_COMMON} and goes to the formatter, which decides. Same result as the formatter where both answer.
     */
    static long parseCommonForm(String t) {
        int n = t == null ? 0 : t.length();
        if (n != 20 && n != 25) {
            return NOT_COMMON;
        }
        long local = localEpochSecond(t);
        if (local == NOT_LOCAL) {
            return NOT_COMMON;
        }
        int offsetSeconds;
        if (n == 20) {
            if (t.charAt(19) != 'Z') {
                return NOT_COMMON;
            }
            offsetSeconds = 0;
        } else {
            char sign = t.charAt(19);
            int oh = digits(t, 20, 2);
            int om = digits(t, 23, 2);
            if ((sign != '+' && sign != '-') || t.charAt(22) != ':' || oh < 0 || om < 0 || oh > 17 || om > 59) {
                return NOT_COMMON;
            }
            offsetSeconds = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        }
        return (local - offsetSeconds) * 1000L;
    }

    /** {@link #localEpochSecond}'s answer for text that is not a valid {@code yyyy-MM-ddTHH:mm:ss} start. */
    private static final long NOT_LOCAL = Long.MIN_VALUE;

    /**
     * The first 19 characters of {@code t} ({@code yyyy-MM-ddTHH:mm:ss}, years 0000-9999, the caller has checked the
     * length) as seconds from the epoch, read as UTC; {@link #NOT_LOCAL} when they are not a valid date and time.
     * Shared by the feeds' time form and {@link #parseInstant}.
     */
    private static long localEpochSecond(String t) {
        if (t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_LOCAL;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > 28 && day > monthLength(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NOT_LOCAL;
        }
        return epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
    }

    /**
     * {@code LocalDate.of(year, month, day).toEpochDay()} for a valid date of a year >= 0, without the object (the
     * same arithmetic as the JDK's; every ping's time goes through here).
     */
    static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367L * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!java.time.Year.isLeap(year)) {
                total--;
            }
        }
        return total - DAYS_0000_TO_1970;
    }

    /** Days from 0000-01-01 to 1970-01-01 (as in {@link LocalDate}). */
    private static final long DAYS_0000_TO_1970 = (146_097L * 5L) - (30L * 365L + 7L);

    private static int monthLength(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    /** The non-negative number of {@code len} ASCII digits at {@code from}; -1 when any is not a digit. */
    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Epoch ms of the start of an ISO date ({@code 2022-04-01}) in UTC+8. */
    public static long parseDate(String text) {
        return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE)
                .atStartOfDay()
                .toInstant(CST)
                .toEpochMilli();
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

    /**
     * Exactly {@link java.time.Instant#toString()} of {@code epochSecond} + {@code nanos} (UTC, {@code Z}; a fraction
     * of 3, 6 or 9 digits only when not zero), written without the general formatter: the lookup API writes a few
     * instants per lookup (the body's times, the audit record's), and the formatter cost more than the rest of the
     * rendering. Years outside 0000-9999 go to {@code Instant.toString()}.
     */
    public static String instantText(long epochSecond, int nanos) {
        long epochDay = Math.floorDiv(epochSecond, 86_400L);
        if (epochDay < YEAR_0_EPOCH_DAY || epochDay >= YEAR_10000_EPOCH_DAY || nanos < 0 || nanos > 999_999_999) {
            return java.time.Instant.ofEpochSecond(epochSecond, nanos).toString();
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int digits = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        char[] c = new char[20 + (digits == 0 ? 0 : digits + 1)];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        if (digits > 0) {
            c[19] = '.';
            put(c, 20, digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1000 : nanos, digits);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /**
     * The inverse of {@link #instantText}: an instant as {@link java.time.Instant#toString()} writes it for years
     * 0000-9999 ({@code 2026-11-27T03:26:18Z}, with 1 to 9 fraction digits or none), read without the general
     * formatter (which was a quarter of the serving audit index's reading); anything else goes to
     * {@link java.time.Instant#parse}, which decides. Same result as it where both answer.
     */
    public static java.time.Instant parseInstant(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(n - 1) != 'Z') {
            return java.time.Instant.parse(t);
        }
        long local = localEpochSecond(t);
        if (local == NOT_LOCAL) {
            return java.time.Instant.parse(t);
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return java.time.Instant.parse(t);
            }
            nanos = digits(t, 20, fraction);
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (nanos < 0) {
            return java.time.Instant.parse(t);
        }
        return java.time.Instant.ofEpochSecond(local, nanos);
    }

    /** {@link #instantText(long, int)} of epoch milliseconds: {@code Instant.ofEpochMilli(epochMs).toString()}. */
    public static String instantText(long epochMs) {
        return instantText(Math.floorDiv(epochMs, 1000L), (int) Math.floorMod(epochMs, 1000L) * 1_000_000);
    }

    private static final long YEAR_0_EPOCH_DAY = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long YEAR_10000_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay() + 1;

    /** Writes {@code v} as exactly {@code width} decimal digits at {@code at}, zero-padded. */
    private static void put(char[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /** {@code 2022-04-01} in UTC+8. */
    public static String formatDate(long epochMs) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMs, 1000), 0, CST)
                .toLocalDate()
                .toString();
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
