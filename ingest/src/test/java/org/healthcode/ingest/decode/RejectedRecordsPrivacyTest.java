package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_ID;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_PHONE;
import static org.healthcode.ingest.testing.IngestFixtures.utf8;

import java.nio.charset.StandardCharsets;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;

/**
 * Raw ID numbers and phone numbers stop at ingest on the rejected path too: a rejected record's bytes carry their
 * pseudonyms instead, and a corrected record re-injected from those bytes names the same person and phone.
 */
class RejectedRecordsPrivacyTest {
    private final StandardEventDecoder decoder = IngestFixtures.decoder();

    private static final String PCR_WITHOUT_RESULT =
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-1\","
                    + "\"time\":\"2022-04-01T09:00:00+08:00\",\"idNumber\":\"" + ALICE_ID + "\",\"method\":\"pcr\"}";

    @Test
    void aRejectedJsonLineKeepsThePseudonymNotTheIdNumberAndCanBeReInjectedOnceCorrected() throws Exception {
        Decoded d = decoder.decodeJsonLine(utf8(PCR_WITHOUT_RESULT), 1);
        assertThat(d.rejected().field()).isEqualTo("result");
        String raw = new String(d.rejected().raw(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain(ALICE_ID).doesNotContain("idNumber");

        String corrected = raw.substring(0, raw.length() - 1) + ",\"result\":\"negative\"}";
        Decoded again = decoder.decodeJsonLine(utf8(corrected), 1);
        assertThat(again.isOk()).as("%s", again.rejected()).isTrue();
        String original =
                PCR_WITHOUT_RESULT.substring(0, PCR_WITHOUT_RESULT.length() - 1) + ",\"result\":\"negative\"}";
        assertThat(again.event().personId())
                .isEqualTo(decoder.decodeJsonLine(utf8(original), 1).event().personId());
    }

    @Test
    void aRejectedProtobufRecordKeepsPseudonymsOfIdNumberAndPhoneAndCanBeReInjected() throws Exception {
        Event noArea = Event.newBuilder()
                .setFeed("police")
                .setType("identity")
                .setEventId("id-1")
                .setTime("2022-04-01T09:00:00+08:00")
                .setIdNumber(ALICE_ID)
                .setMsisdn(ALICE_PHONE)
                .setIdentity(Identity.newBuilder())
                .build();
        Decoded d = decoder.decodeProto(noArea.toByteArray(), "police", 0, 9);
        assertThat(d.rejected().field()).isEqualTo("areaCode");
        String bytes = new String(d.rejected().raw(), StandardCharsets.ISO_8859_1);
        assertThat(bytes).doesNotContain(ALICE_ID).doesNotContain(ALICE_PHONE);

        Event scrubbed = Event.parseFrom(d.rejected().raw());
        Event corrected = scrubbed.toBuilder()
                .setIdentity(Identity.newBuilder().setAreaCode("440106"))
                .build();
        Decoded again = decoder.decodeProto(corrected.toByteArray(), "police", 0, 10);
        assertThat(again.isOk()).as("%s", again.rejected()).isTrue();
        Decoded original = decoder.decodeProto(
                noArea.toBuilder()
                        .setIdentity(Identity.newBuilder().setAreaCode("440106"))
                        .build()
                        .toByteArray(),
                "police",
                0,
                11);
        assertThat(again.event().personId()).isEqualTo(original.event().personId());
        assertThat(again.event().msisdn()).isEqualTo(original.event().msisdn());
    }

    @Test
    void anInvalidIdNumberIsRedactedNotKept() {
        String bad = PCR_WITHOUT_RESULT.replace(ALICE_ID, "110105194912310021");
        Decoded d = decoder.decodeJsonLine(utf8(bad), 1);
        assertThat(d.rejected().field()).isEqualTo("idNumber");
        assertThat(new String(d.rejected().raw(), StandardCharsets.UTF_8))
                .doesNotContain("110105194912310021")
                .contains("\"idNumber\":\"redacted\"");
    }

    @Test
    void aPersonIdThatIsARawIdNumberOrPhoneNumberIsRejectedNamingTheFieldWithoutEchoingIt() {
        for (String raw : new String[] {ALICE_ID, ALICE_PHONE, "86" + ALICE_PHONE}) {
            String line = "{\"feed\":\"health\",\"type\":\"vaccination\",\"eventId\":\"v-1\","
                    + "\"time\":\"2022-04-01T09:00:00+08:00\",\"personId\":\"" + raw + "\",\"dose\":1}";
            Decoded d = decoder.decodeJsonLine(utf8(line), 1);
            assertThat(d.isOk()).as(raw).isFalse();
            assertThat(d.rejected().field()).isEqualTo("personId");
            assertThat(d.rejected().reason()).contains("raw").doesNotContain(raw);
            assertThat(new String(d.rejected().raw(), StandardCharsets.UTF_8)).doesNotContain(raw);
        }
    }

    @Test
    void aRecordThatDoesNotParseHasItsLongDigitRunsOverwritten() {
        String broken = "{\"feed\":\"health\",\"idNumber\":\"" + ALICE_ID + "\", \"msisdn\":\"" + ALICE_PHONE;
        Decoded d = decoder.decodeJsonLine(utf8(broken), 1);
        assertThat(d.rejected().category()).isEqualTo("malformed");
        String raw = new String(d.rejected().raw(), StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain(ALICE_ID).doesNotContain(ALICE_PHONE).startsWith("{\"feed\":\"health\"");
        assertThat(raw).hasSameSizeAs(broken);
    }
}
