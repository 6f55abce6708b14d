package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;
import static org.healthcode.risk.testing.Fixtures.REGION;
import static org.healthcode.risk.testing.Fixtures.plusHours;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.FeedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Carrier pings in the carrier's own event time: late ones rejected with their bytes, other records passed aside. */
class CarrierPingsTest {
    private OneInputStreamOperatorTestHarness<FeedRecord, Event> h;

    @BeforeEach
    void open() throws Exception {
        h = harness();
        h.open();
    }

    private static OneInputStreamOperatorTestHarness<FeedRecord, Event> harness() throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new CarrierPings(SideOutputs.REJECTED));
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static Event ping(String id, Instant t) {
        return Event.builder(id, EventType.PING, t.toEpochMilli(), REGION)
                .msisdn("phone-1")
                .lat(23.1)
                .lon(113.3)
                .build();
    }

    private void send(Event e) throws Exception {
        h.processElement(new StreamRecord<>(
                FeedRecord.ofKafka(Decoded.ok(e), "carrier", 0, 17, e.eventId().getBytes(StandardCharsets.UTF_8)),
                e.time()));
    }

    @Test
    void pingsPassAndCopiesAreLeftToThePhoneSide() throws Exception {
        Event ping = ping("ping-1", MONDAY_9AM);
        send(ping);
        send(ping); // the phone-stay operator recognises the copy (PhoneStayBuilderTest)
        assertThat(h.extractOutputValues()).containsExactly(ping, ping);
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).isNull();
    }

    @Test
    void aPingAtOrBehindTheCarrierWatermarkIsRejectedAsLateWithItsBytes() throws Exception {
        h.processWatermark(new Watermark(plusHours(MONDAY_9AM, 1).toEpochMilli()));
        send(ping("ping-2", MONDAY_9AM)); // an hour behind: the 48 h of the other feeds do not apply to pings
        send(ping("ping-3", plusHours(MONDAY_9AM, 1))); // at the watermark: late too
        Event onTime = ping("ping-4", plusHours(MONDAY_9AM, 2));
        send(onTime);

        assertThat(h.extractOutputValues()).containsExactly(onTime);
        assertThat(h.getSideOutput(SideOutputs.REJECTED))
                .extracting(StreamRecord::getValue)
                .satisfiesExactly(r -> assertLate(r, "ping-2"), r -> assertLate(r, "ping-3"));
    }

    private static void assertLate(Rejected r, String id) {
        assertThat(r.category()).isEqualTo("late");
        assertThat(r.field()).isEqualTo("time");
        assertThat(r.reason()).contains("carrier ping", "carrier feed's event-time watermark");
        assertThat(r.raw()).isEqualTo(id.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCarrierWatermarkSurvivesARestoreSoALatePingStaysLate() throws Exception {
        h.processWatermark(new Watermark(plusHours(MONDAY_9AM, 1).toEpochMilli()));
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        h = harness(); // a restored source starts its watermark from nothing
        h.initializeState(snapshot);
        h.open();
        send(ping("ping-5", MONDAY_9AM));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.getSideOutput(SideOutputs.REJECTED))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().category()).isEqualTo("late"));
    }

    @Test
    void otherCarrierRecordsGoAsideAndUndecodableOnesAreRejected() throws Exception {
        Event cityStay = Event.builder("city-1", EventType.CITY_STAY, MONDAY_9AM.toEpochMilli(), REGION)
                .msisdn("phone-1")
                .build();
        h.processWatermark(new Watermark(plusHours(MONDAY_9AM, 5).toEpochMilli()));
        send(cityStay); // behind the carrier watermark: that is for the other feeds' lateness check to judge
        Rejected garbage =
                Rejected.ofKafka("carrier", 0, 18, "malformed", null, "malformed: not protobuf", new byte[] {1, 2});
        h.processElement(new StreamRecord<>(new FeedRecord(null, garbage, "carrier", 0, 18, -1, new byte[] {1, 2})));

        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.getSideOutput(CarrierPings.OTHER_RECORDS))
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().event()).isEqualTo(cityStay));
        assertThat(h.getSideOutput(SideOutputs.REJECTED)).singleElement().satisfies(r -> {
            assertThat(r.getValue().category()).isEqualTo("malformed");
            assertThat(r.getValue().offset()).isEqualTo(18);
            assertThat(r.getValue().raw()).containsExactly(1, 2);
        });
    }
}
