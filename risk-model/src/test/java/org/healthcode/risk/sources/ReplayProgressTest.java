package org.healthcode.risk.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.events.FeedRecord;
import org.junit.jupiter.api.Test;

/** The replay's progress line: events read, event time reached, and an ETA from the rate of reading. */
class ReplayProgressTest {
    private static final long APRIL_FIRST =
            Instant.parse("2022-04-01T00:00:00Z").toEpochMilli();

    @Test
    void theEtaComesFromTheRateOfReading() {
        assertThat(ReplayProgress.line(0, 1000, Long.MIN_VALUE, Duration.ZERO))
                .isEqualTo("[replay] [........................]   0% 0 of 1,000 events read, starting");
        assertThat(ReplayProgress.line(250, 1000, APRIL_FIRST, Duration.ofSeconds(10)))
                .isEqualTo("[replay] [######..................]  25% 250 of 1,000 events read,"
                        + " event time 2022-04-01T00:00:00Z, 25 events/s, ETA 0m30s");
        assertThat(ReplayProgress.line(1000, 1000, APRIL_FIRST, Duration.ofSeconds(90)))
                .isEqualTo("[replay] [########################] 100% 1,000 of 1,000 events read,"
                        + " event time 2022-04-01T00:00:00Z, all read: applying the end of input (pending timers)");
        assertThat(ReplayProgress.line(70, -1, APRIL_FIRST, Duration.ofSeconds(7)))
                .isEqualTo("[replay] 70 events read, event time 2022-04-01T00:00:00Z, 10 events/s");
    }

    @Test
    void readingTimeStartsWithTheFirstRecordNotTheJob() {
        ReplayProgress.reset();
        assertThat(ReplayProgress.reading(System.nanoTime() + 60_000_000_000L)).isZero();

        String ping =
                "{\"feed\":\"carrier\",\"type\":\"ping\",\"eventId\":\"p-1\",\"time\":\"2022-04-01T08:00:00+08:00\","
                        + "\"region\":\"440100\",\"msisdn\":\"+8613191689976\",\"lat\":23.4,\"lon\":113.1}";
        FeedRecord r = new LineDecoder(new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))))
                .map(new NumberedLine(1, ping.getBytes(StandardCharsets.UTF_8)));
        long before = System.nanoTime();
        new ReplayProgress.Probe().map(r);
        long after = System.nanoTime();

        assertThat(ReplayProgress.read()).isEqualTo(1);
        assertThat(ReplayProgress.latestEventTime()).isEqualTo(APRIL_FIRST);
        long later = after + 60_000_000_000L;
        assertThat(ReplayProgress.reading(later))
                .isBetween(Duration.ofNanos(later - after), Duration.ofNanos(later - before));
        ReplayProgress.reset();
    }
}
