package org.healthcode.contracts.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast reading of the feeds' common time form agrees with the ISO formatter, and leaves everything else to it. */
class IsoTimesTest {
    private static Long formatter(String t) {
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Long parsed(String t) {
        try {
            return IsoTimes.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void theCommonFormsAreReadAsTheFormatterReadsThem() {
        for (String t : List.of(
                "2022-04-01T09:30:00+08:00",
                "2022-04-01T01:30:00Z",
                "2024-02-29T23:59:59-05:30",
                "2000-01-01T00:00:00+00:00",
                "2022-12-31T23:59:59-00:00",
                "2099-06-15T12:00:00+14:00")) {
            assertThat(IsoTimes.parseCommonForm(t)).as(t).isEqualTo(formatter(t));
            assertThat(IsoTimes.parse(t)).as(t).isEqualTo(formatter(t));
        }
    }

    @Test
    void theEpochDayOfEveryDateOfFourDigitYearsIsLocalDates() {
        for (java.time.LocalDate d = java.time.LocalDate.of(0, 1, 1); d.getYear() <= 9999; d = d.plusDays(1)) {
            if (IsoTimes.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()) != d.toEpochDay()) {
                assertThat(IsoTimes.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
                        .as("%s", d)
                        .isEqualTo(d.toEpochDay());
            }
        }
    }

    @Test
    void otherFormsAndInvalidTimesAreLeftToTheFormatter() {
        for (String t : List.of(
                "2022-04-01T09:30+08:00",
                "2022-04-01T09:30:00.250+08:00",
                "2022-04-01T09:30:00",
                "2022-02-30T09:30:00+08:00",
                "2023-02-29T09:30:00Z",
                "2022-13-01T09:30:00Z",
                "2022-04-01T24:00:00Z",
                "2022-04-01T09:60:00Z",
                "2022-04-01T09:30:60Z",
                "2022-04-01T09:30:00+19:00",
                "2022-04-01 09:30:00Z",
                "2022-04-01T09:30:00+0800",
                "２０２２-04-01T09:30:00Z",
                "",
                "2022-04-01T09:30:00+08:00:00")) {
            assertThat(parsed(t)).as(t).isEqualTo(formatter(t));
        }
        assertThatThrownBy(() -> IsoTimes.parse("2022-02-30T09:30:00+08:00"))
                .isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void randomTimesAndMutationsOfThemAgreeWithTheFormatter() {
        SplittableRandom r = new SplittableRandom(7);
        String alphabet = "0123456789-:+TZ.x ";
        for (int i = 0; i < 50_000; i++) {
            String t = String.format(
                    "%04d-%02d-%02dT%02d:%02d:%02d%s",
                    r.nextInt(1990, 2110),
                    r.nextInt(0, 14),
                    r.nextInt(0, 33),
                    r.nextInt(0, 26),
                    r.nextInt(0, 61),
                    r.nextInt(0, 61),
                    r.nextBoolean()
                            ? "Z"
                            : String.format(
                                    "%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(0, 20), r.nextInt(0, 61)));
            if (r.nextInt(4) == 0) {
                char[] c = t.toCharArray();
                c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
                t = new String(c);
            }
            assertThat(parsed(t)).as(t).isEqualTo(formatter(t));
        }
    }

    @Test
    void instantTextIsExactlyInstantToString() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            long second = switch (i % 3) {
                case 0 -> random.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000-9999
                case 1 -> random.nextLong(0, 4_102_444_800L);
                default -> random.nextLong(-100_000_000_000L, 400_000_000_000L); // beyond: the fallback
            };
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            java.time.Instant at = java.time.Instant.ofEpochSecond(second, nanos);
            assertThat(IsoTimes.instantText(second, nanos)).isEqualTo(at.toString());
            long ms = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            assertThat(IsoTimes.instantText(ms))
                    .isEqualTo(java.time.Instant.ofEpochMilli(ms).toString());
        }
        for (long edge : new long[] {
            0,
            -1,
            1,
            -62_167_219_200_000L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            951_782_400_000L /* 2000-02-29 */
        }) {
            assertThat(IsoTimes.instantText(edge))
                    .isEqualTo(java.time.Instant.ofEpochMilli(edge).toString());
        }
    }

    @Test
    void theFastInstantReadingAgreesWithInstantParse() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            java.time.Instant at = java.time.Instant.ofEpochSecond(
                    random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertThat(IsoTimes.parseInstant(at.toString())).as(at.toString()).isEqualTo(at);
        }
        // odd and invalid forms: whatever java.time.Instant.parse says (the same instant, or a parse error)
        for (String odd : new String[] {
            "2026-11-27T03:26:18.5Z",
            "2024-02-29T23:59:59.000000001Z",
            "+12026-11-27T03:26:18Z",
            "2026-11-27T23:59:60Z",
            "2026-11-27T24:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-27T03:26:18.Z",
            "2026-11-27T03:26:18.1234567890Z",
            "2026-11-27T03:2a:18Z",
            "2026-11-27T03:26Z"
        }) {
            java.time.Instant expected;
            try {
                expected = java.time.Instant.parse(odd);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> IsoTimes.parseInstant(odd)).as(odd).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(IsoTimes.parseInstant(odd)).as(odd).isEqualTo(expected);
        }
    }
}
