package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_ID;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_PHONE;
import static org.healthcode.ingest.testing.IngestFixtures.utf8;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.RiskPerson;
import org.healthcode.ingest.pseudonym.NationalPseudonym;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Identity across regions: the identity binding gets the national pseudonym at ingest (the raw number goes no
 * further), equal in every region that shares the national key; and the interop feed's risk_person records.
 */
class CrossRegionEventDecoderTest {
    private static final NationalPseudonym NATIONAL = new NationalPseudonym(key(42));
    private static final String IDENTITY = "{\"feed\":\"police\",\"type\":\"identity\",\"eventId\":\"id-1\","
            + "\"time\":\"2022-04-01T00:00:00+08:00\",\"region\":\"440100\",\"idNumber\":\"" + ALICE_ID + "\","
            + "\"msisdn\":\"" + ALICE_PHONE + "\",\"areaCode\":\"440106\"}";
    private static final String RISK_PERSON = "{\"feed\":\"interop\",\"type\":\"risk_person\",\"eventId\":\"xr-1\","
            + "\"time\":\"2022-04-07T10:15:00+08:00\",\"region\":\"440000\",\"nationalId\":\"nat-alice\","
            + "\"colour\":\"red\",\"reasonCategory\":\"infection\",\"since\":\"2022-04-04T09:00:00+08:00\","
            + "\"expiry\":\"2022-04-18T09:00:00+08:00\"}";

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private static StandardEventDecoder regionDecoder(int secretFill) {
        return new StandardEventDecoder(new Pseudonymiser(IngestFixtures.secret(secretFill)), NATIONAL);
    }

    @Test
    void twoRegionsNameOnePersonDifferentlyButWithOneNationalPseudonym() {
        Event inGuangdong = regionDecoder(1).decodeJsonLine(utf8(IDENTITY), 1).event();
        Event inShanghai = regionDecoder(2)
                .decodeJsonLine(utf8(IDENTITY.replace("440100", "310100").replace("440106", "310104")), 1)
                .event();

        assertThat(inGuangdong.personId()).isNotEqualTo(inShanghai.personId());
        assertThat(inGuangdong.nationalId())
                .isEqualTo(NATIONAL.of(ALICE_ID))
                .isEqualTo(inShanghai.nationalId())
                .isNotEqualTo(inGuangdong.personId())
                .hasSize(22);
        // lower-case x spells the same number
        assertThat(NATIONAL.of(ALICE_ID.toLowerCase())).isEqualTo(inGuangdong.nationalId());
        assertThat(inGuangdong.toString()).doesNotContain(ALICE_ID, ALICE_PHONE);
    }

    @Test
    void withoutANationalKeyOrARawNumberThereIsNoNationalPseudonym() {
        assertThat(IngestFixtures.decoder()
                        .decodeJsonLine(utf8(IDENTITY), 1)
                        .event()
                        .nationalId())
                .isNull();
        String byPseudonym = IDENTITY.replace("\"idNumber\":\"" + ALICE_ID + "\"", "\"personId\":\"alice\"");
        assertThat(regionDecoder(1).decodeJsonLine(utf8(byPseudonym), 1).event().nationalId())
                .isNull();
        // other events naming the person by ID number are not given one (only the binding)
        String test =
                "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"t-1\",\"time\":\"2022-04-01T09:00:00+08:00\","
                        + "\"idNumber\":\"" + ALICE_ID + "\",\"method\":\"pcr\",\"result\":\"negative\"}";
        assertThat(regionDecoder(1).decodeJsonLine(utf8(test), 1).event().nationalId())
                .isNull();
    }

    @Test
    void theNationalKeyComesFromTheEnvironmentOrADevelopmentFileThatIsKept(@TempDir java.nio.file.Path work) {
        String b64 = java.util.Base64.getEncoder().encodeToString(key(42));
        assertThat(NationalPseudonym.resolve(null, Map.of(NationalPseudonym.ENV, b64), work)
                        .of(ALICE_ID))
                .isEqualTo(NATIONAL.of(ALICE_ID));
        NationalPseudonym dev = NationalPseudonym.resolve(null, Map.of(), work);
        assertThat(NationalPseudonym.resolve(null, Map.of(), work).of(ALICE_ID))
                .isEqualTo(dev.of(ALICE_ID))
                .isNotEqualTo(NATIONAL.of(ALICE_ID));
        assertThat(NationalPseudonym.developmentFile(work)).exists();
        // its own key, not the region secret that lives beside it
        assertThat(dev.of(ALICE_ID))
                .isNotEqualTo(new NationalPseudonym(org.healthcode.ingest.pseudonym.RegionSecret.development(work)
                                .bytes())
                        .of(ALICE_ID));
    }

    @Test
    void aRiskPersonRecordCarriesOnlyTheNationalPseudonymColourCategoryAndTimes() {
        Decoded d = regionDecoder(1).decodeJsonLine(utf8(RISK_PERSON), 1);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        Event e = d.event();
        assertThat(e.type()).isEqualTo(EventType.RISK_PERSON);
        assertThat(e.type().feed()).isEqualTo(Feed.INTEROP);
        assertThat(e.personId()).isNull();
        assertThat(e.nationalId()).isEqualTo("nat-alice");
        assertThat(e.region()).isEqualTo("440000");
        assertThat(e.colour()).isEqualTo("red");
        assertThat(e.reasonCategory()).isEqualTo("infection");
        assertThat(e.from()).isEqualTo(Instant.parse("2022-04-04T01:00:00Z").toEpochMilli());
        assertThat(e.expiry()).isEqualTo(Instant.parse("2022-04-18T01:00:00Z").toEpochMilli());
        assertThat(e.time()).isEqualTo(Instant.parse("2022-04-07T02:15:00Z").toEpochMilli());
    }

    @Test
    void theProtobufFormDecodesToTheSameEvent() {
        org.healthcode.ingest.proto.Event proto = org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("interop")
                .setType("risk_person")
                .setEventId("xr-1")
                .setTime("2022-04-07T10:15:00+08:00")
                .setRegion("440000")
                .setRiskPerson(RiskPerson.newBuilder()
                        .setNationalId("nat-alice")
                        .setColour("red")
                        .setReasonCategory("infection")
                        .setSince("2022-04-04T09:00:00+08:00")
                        .setExpiry("2022-04-18T09:00:00+08:00"))
                .build();
        Decoded d = regionDecoder(1).decodeProto(proto.toByteArray(), "interop", 0, 5);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        assertThat(d.event())
                .isEqualTo(regionDecoder(1).decodeJsonLine(utf8(RISK_PERSON), 1).event());
    }

    @Test
    void aWithdrawalNeedsNoExpiry() {
        String green =
                RISK_PERSON.replace("\"red\"", "\"green\"").replace(",\"expiry\":\"2022-04-18T09:00:00+08:00\"", "");
        Decoded d = regionDecoder(1).decodeJsonLine(utf8(green), 1);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        assertThat(d.event().expiry()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"region\":\"440000\",|                         | missing | region",
                "\"nat-alice\"|\"nat alice\"                      | invalid | nationalId",
                "\"colour\":\"red\"|\"colour\":\"orange\"          | invalid | colour",
                "\"infection\"|\"diagnosis\"                      | invalid | reasonCategory",
                ",\"expiry\":\"2022-04-18T09:00:00+08:00\"|       | missing | expiry",
                "2022-04-18T09:00|2022-04-03T09:00                | invalid | expiry",
                "\"feed\":\"interop\"|\"feed\":\"police\"          | invalid | feed"
            })
    void aBadRiskPersonRecordIsRejectedNamingTheField(String from, String to, String category, String field) {
        Decoded d = regionDecoder(1).decodeJsonLine(utf8(RISK_PERSON.replace(from, to == null ? "" : to)), 1);
        assertThat(d.isOk()).isFalse();
        assertThat(d.rejected().category()).isEqualTo(category);
        assertThat(d.rejected().field()).isEqualTo(field);
    }
}
