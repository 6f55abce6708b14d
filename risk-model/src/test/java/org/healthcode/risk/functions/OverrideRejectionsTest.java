package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.OverrideRequest;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.events.AuditRecord;
import org.junit.jupiter.api.Test;

/** Rejected records of the overrides feed are audited as refused, without the person; other rejections are not. */
class OverrideRejectionsTest {
    private final StandardEventDecoder decoder =
            new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32])));

    private static List<AuditRecord> audit(Rejected r) {
        List<AuditRecord> out = new ArrayList<>();
        new OverrideRejections().flatMap(r, new Collector<>() {
            @Override
            public void collect(AuditRecord a) {
                out.add(a);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    @Test
    void aKafkaRequestWithoutBasisIsAuditedAsRefusedNamingTheField() {
        byte[] value = Event.newBuilder()
                .setFeed("overrides")
                .setType("override_request")
                .setEventId("req-9")
                .setTime("2022-04-05T10:00:00+08:00")
                .setIdNumber("11010519491231002X")
                .setOverrideRequest(OverrideRequest.newBuilder()
                        .setRequestId("appeal-9")
                        .setColour("green")
                        .setExpiry("2022-04-12T10:00:00+08:00")
                        .setRequester("op-chen"))
                .build()
                .toByteArray();
        Decoded d = decoder.decodeProto(value, "overrides", 1, 42);
        assertThat(audit(d.rejected())).singleElement().satisfies(a -> {
            assertThat(a.eventId()).isEqualTo("req-9");
            assertThat(a.action()).isEqualTo("request");
            assertThat(a.outcome()).isEqualTo(AuditRecord.REFUSED);
            assertThat(a.requestId()).isEqualTo("appeal-9");
            assertThat(a.operator()).isEqualTo("op-chen");
            assertThat(a.reason()).startsWith("missing field 'basis'");
            assertThat(a.personId()).isNull(); // the record carries a raw ID number: never copied
        });
    }

    @Test
    void anUnreadableRecordOnTheOverridesTopicIsAuditedAndOtherFeedsAreNot() {
        Decoded garbage = decoder.decodeProto(new byte[] {(byte) 0xff, 0x01, 0x02}, "region1-overrides", 0, 7);
        assertThat(audit(garbage.rejected())).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("unknown");
            assertThat(a.eventId()).isEqualTo("region1-overrides/0@7");
        });
        String healthLine =
                "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"x\",\"time\":\"2022-04-01T09:30:00+08:00\","
                        + "\"personId\":\"p1\",\"method\":\"pcr\"}";
        Decoded health = decoder.decodeJsonLine(healthLine.getBytes(StandardCharsets.UTF_8), 3);
        assertThat(audit(health.rejected())).isEmpty();
        String selfMadeLine = "{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"a-1\","
                + "\"time\":\"2022-04-05T11:00:00+08:00\",\"requestId\":\"appeal-7\"}";
        Decoded noApprover = decoder.decodeJsonLine(selfMadeLine.getBytes(StandardCharsets.UTF_8), 4);
        assertThat(audit(noApprover.rejected()))
                .singleElement()
                .satisfies(a -> assertThat(a.reason()).startsWith("missing field 'approver'"));
    }
}
