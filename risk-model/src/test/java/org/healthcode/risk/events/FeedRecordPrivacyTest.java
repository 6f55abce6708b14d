package org.healthcode.risk.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;

/** A valid event rejected later (too late) leaves with its pseudonyms, not its raw ID number and phone number. */
class FeedRecordPrivacyTest {
    @Test
    void aLateIdentityBindingIsRejectedWithPseudonymsInItsBytes() {
        String line =
                "{\"feed\":\"police\",\"type\":\"identity\",\"eventId\":\"id-1\",\"time\":\"2022-04-01T09:00:00+08:00\","
                        + "\"idNumber\":\"" + IngestFixtures.ALICE_ID + "\",\"msisdn\":\"" + IngestFixtures.ALICE_PHONE
                        + "\",\"areaCode\":\"440106\"}";
        byte[] raw = line.getBytes(StandardCharsets.UTF_8);
        Decoded d = IngestFixtures.decoder().decodeJsonLine(raw, 4);
        assertThat(d.isOk()).isTrue();
        Rejected late = FeedRecord.ofLine(d, 4, raw).reject("late", "time", "late: behind the watermark");
        String kept = new String(late.raw(), StandardCharsets.UTF_8);
        assertThat(kept)
                .doesNotContain(IngestFixtures.ALICE_ID)
                .doesNotContain(IngestFixtures.ALICE_PHONE)
                .contains(d.event().personId())
                .contains(d.event().msisdn());
        assertThat(IngestFixtures.decoder()
                        .decodeJsonLine(late.raw(), 4)
                        .event()
                        .personId())
                .isEqualTo(d.event().personId());
    }
}
