package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.ALICE;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.feverClinicVisit;
import static org.healthcode.risk.testing.Fixtures.negativePcr;
import static org.healthcode.risk.testing.Fixtures.plusDays;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.FeedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Duplicates are dropped; events later than the allowed lateness are rejected as late, with their bytes. */
class DuplicateAndLateFilterTest {
    private static final long LATENESS_MS = Duration.ofHours(48).toMillis();
    private KeyedOneInputStreamOperatorTestHarness<String, FeedRecord, Event> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new DuplicateAndLateFilter(SideOutputs.REJECTED, LATENESS_MS, Duration.ofDays(7))),
                r -> r.event().eventId(), Types.STRING);
        h.open();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private void send(Event e) throws Exception {
        h.processElement(new StreamRecord<>(FeedRecord.ofKafka(Decoded.ok(e), "health", 0, 17,
                e.eventId().getBytes(StandardCharsets.UTF_8)), e.time()));
    }

    private List<Event> passed() {
        return h.extractOutputValues();
    }

    @Test
    void aSecondEventWithTheSameIdIsDropped() throws Exception {
        Event visit = feverClinicVisit(ALICE, MONDAY_9AM);
        send(visit);
        send(visit);
        assertThat(passed()).containsExactly(visit);
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).isNull();
    }

    @Test
    void anEventBeyondTheAllowedLatenessIsRejectedAsLateWithItsOriginalBytes() throws Exception {
        h.processWatermark(new Watermark(plusDays(MONDAY_9AM, 10).toEpochMilli()));
        Event tooLate = negativePcr(ALICE, plusDays(MONDAY_9AM, 7));
        Event withinLateness = negativePcr(ALICE, plusHours(plusDays(MONDAY_9AM, 8), 1));
        send(tooLate);
        send(withinLateness);
        assertThat(passed()).containsExactly(withinLateness);
        List<Rejected> rejected = h.getSideOutput(SideOutputs.REJECTED).stream().map(StreamRecord::getValue).toList();
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.category()).isEqualTo("late");
            assertThat(r.field()).isEqualTo("time");
            assertThat(r.reason()).startsWith("late:").contains("48 h");
            assertThat(r.source()).isEqualTo("health/0@17");
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo(tooLate.eventId());
        });
    }

    @Test
    void eachSeenIdIsOneStateEntryUntilItsTimeToLive() throws Exception {
        send(feverClinicVisit(ALICE, MONDAY_9AM));
        send(negativePcr(ALICE, MONDAY_9AM));
        assertThat(h.numKeyedStateEntries()).isEqualTo(2);
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
