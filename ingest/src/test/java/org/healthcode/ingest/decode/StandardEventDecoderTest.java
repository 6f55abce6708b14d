package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_ID;
import static org.healthcode.ingest.testing.IngestFixtures.ALICE_PHONE;
import static org.healthcode.ingest.testing.IngestFixtures.utf8;

import java.time.Instant;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StandardEventDecoderTest {
    private static final String POSITIVE_PCR = "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab1-778\","
            + "\"time\":\"2022-04-01T09:30:00+08:00\",\"region\":\"440100\",\"idNumber\":\"" + ALICE_ID + "\","
            + "\"method\":\"pcr\",\"result\":\"positive\",\"tubeId\":\"T-1\"}";

    private final StandardEventDecoder decoder = IngestFixtures.decoder();
    private final Pseudonymiser pseudonymiser = IngestFixtures.pseudonymiser();

    private Decoded json(String line) {
        return decoder.decodeJsonLine(utf8(line), 17);
    }

    private static String pcrWith(String field, String fragment) {
        return IngestFixtures.withField(POSITIVE_PCR, field, fragment);
    }

    @Test
    void decodesAPositivePcrWithAPseudonymInsteadOfTheIdNumber() {
        Decoded d = json(POSITIVE_PCR);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        Event e = d.event();
        assertThat(e.type()).isEqualTo(EventType.TEST_RESULT);
        assertThat(e.eventId()).isEqualTo("lab1-778");
        assertThat(e.time()).isEqualTo(Instant.parse("2022-04-01T01:30:00Z").toEpochMilli());
        assertThat(e.region()).isEqualTo("440100");
        assertThat(e.personId()).isEqualTo(pseudonymiser.personId(ALICE_ID)).doesNotContain(ALICE_ID);
        assertThat(e.isPositive()).isTrue();
        assertThat(e.isPooled()).isFalse();
        assertThat(e.method()).isEqualTo("pcr");
        assertThat(e.tubeId()).isEqualTo("T-1");
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(json(pcrWith("x", "\"labName\":\"Guangzhou No. 8\",\"extra\":{\"a\":[1,2]}"))
                        .isOk())
                .isTrue();
    }

    @Test
    void aPersonIdPassesThroughAsIs() {
        Decoded d = json(pcrWith("idNumber", "\"personId\":\"abc_DEF-123\""));
        assertThat(d.event().personId()).isEqualTo("abc_DEF-123");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON            | {"feed":"health",                                  | malformed    |          | malformed: not JSON
            an array            | [1,2]                                              | malformed    |          | malformed: a line must be one JSON object
            trailing garbage    | {"feed":"health"} x                                | malformed    |          | malformed: not JSON
            duplicate key       | {"type":"ping","type":"scan"}                      | malformed    |          | malformed: not JSON
            no type             | {"feed":"health"}                                  | missing      | type     | missing field 'type' (every event needs a type)
            unknown type        | {"feed":"health","type":"foo"}                     | unknown_type | type     | unknown_type 'foo'
            """)
    void wholeRecordProblems(String name, String line, String category, String field, String reasonStart) {
        assertRejected(json(line), category, field, reasonStart);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing result      | result   |                                         | missing | result   | missing field 'result' (test_result needs positive|negative)
            unknown enum value  | method   | "method":"pcrx"                         | invalid | method   | invalid 'method': 'pcrx' is not one of pcr|antigen
            bad time            | time     | "time":"2022-13-01"                     | invalid | time     | invalid 'time': '2022-13-01' is not ISO-8601 with offset
            time without offset | time     | "time":"2022-04-01T09:30:00"            | invalid | time     | invalid 'time': '2022-04-01T09:30:00' is not ISO-8601 with offset
            time out of range   | time     | "time":"1922-04-01T09:30:00+08:00"      | invalid | time     | invalid 'time': '1922-04-01T09:30:00+08:00' is outside 2000-2099
            missing time        | time     |                                         | missing | time     | missing field 'time'
            missing eventId     | eventId  |                                         | missing | eventId  | missing field 'eventId' (test_result needs an id unique per source)
            empty eventId       | eventId  | "eventId":""                            | missing | eventId  | missing field 'eventId'
            feed not matching   | feed     | "feed":"police"                         | invalid | feed     | invalid 'feed': 'police' does not carry test_result (it comes from health)
            unknown feed        | feed     | "feed":"weather"                        | invalid | feed     | invalid 'feed': 'weather' is not one of
            bad region          | region   | "region":"4401"                         | invalid | region   | invalid 'region': '4401' is not a six-digit
            region as number    | region   | "region":440100                         | invalid | region   | invalid 'region': must be a string
            bad checksum        | idNumber | "idNumber":"110105194912310021"         | invalid | idNumber | invalid 'idNumber': the check character does not match
            no person           | idNumber |                                         | missing | idNumber | missing field 'idNumber'
            bad personId        | idNumber | "personId":"a/b"                        | invalid | personId | invalid 'personId': 'a/b' is not
            pooled not boolean  | pooled   | "pooled":"yes"                          | invalid | pooled   | invalid 'pooled': must be true or false
            """)
    void fieldProblemsNameTheField(
            String name, String field, String fragment, String category, String rejectedField, String reasonStart) {
        assertRejected(json(pcrWith(field, fragment)), category, rejectedField, reasonStart);
    }

    @Test
    void rejectionsNeverEchoIdNumbersOrPhoneNumbers() {
        Decoded badId = json(pcrWith("idNumber", "\"idNumber\":\"110105194912310021\""));
        assertThat(badId.rejected().reason()).doesNotContain("110105194912310021");
        Decoded badPhone = json(
                "{\"feed\":\"carrier\",\"type\":\"ping\",\"eventId\":\"p1\",\"time\":\"2022-04-01T09:30:00+08:00\","
                        + "\"msisdn\":\"1380013800x\",\"lat\":23.1,\"lon\":113.3}");
        assertRejected(badPhone, "invalid", "msisdn", "invalid 'msisdn': must be 6-15 digits");
        assertThat(badPhone.rejected().reason()).doesNotContain("1380013800");
        Decoded numericId = json(pcrWith("idNumber", "\"idNumber\":110105194912310020"));
        assertRejected(numericId, "invalid", "idNumber", "invalid 'idNumber': must be a string");
        assertThat(numericId.rejected().reason()).doesNotContain("110105194912310020");
    }

    @Test
    void rangesAndOrderingsAreChecked() {
        String ping =
                "{\"feed\":\"carrier\",\"type\":\"ping\",\"eventId\":\"p1\",\"time\":\"2022-04-01T09:30:00+08:00\","
                        + "\"msisdn\":\"" + ALICE_PHONE + "\",\"lat\":%s,\"lon\":113.3}";
        assertRejected(json(String.format(ping, "91.0")), "invalid", "lat", "invalid 'lat': 91.0 is outside -90..90");
        assertRejected(json(String.format(ping, "\"23.1\"")), "invalid", "lat", "invalid 'lat': must be a number");
        assertThat(json(String.format(ping, "23.1")).event().lat()).isEqualTo(23.1);
        String designation = "{\"feed\":\"police\",\"type\":\"contact_designation\",\"eventId\":\"c1\","
                + "\"time\":\"2022-04-01T20:00:00+08:00\",\"idNumber\":\"" + ALICE_ID + "\",\"degree\":%s,"
                + "\"exposure\":\"2022-04-01T12:00:00+08:00\"}";
        assertRejected(
                json(String.format(designation, "3")), "invalid", "degree", "invalid 'degree': 3 is outside 1..2");
        assertRejected(
                json(String.format(designation, "1.5")), "invalid", "degree", "invalid 'degree': must be an integer");
        assertThat(json(String.format(designation, "2")).event().degree()).isEqualTo(2);
        String stay =
                "{\"feed\":\"carrier\",\"type\":\"city_stay\",\"eventId\":\"s1\",\"time\":\"2022-04-01T20:00:00+08:00\","
                        + "\"msisdn\":\"" + ALICE_PHONE
                        + "\",\"areaCode\":\"440300\",\"from\":\"2022-04-01T10:00:00+08:00\","
                        + "\"to\":\"2022-04-01T09:00:00+08:00\"}";
        assertRejected(json(stay), "invalid", "to", "invalid 'to': is before 'from'");
    }

    @Test
    void aTripsCarriageMayComeAsTextOrAsANumber() {
        String trip =
                "{\"feed\":\"transport\",\"type\":\"trip\",\"eventId\":\"t1\",\"time\":\"2022-04-01T12:00:00+08:00\","
                        + "\"personId\":\"p1\",\"mode\":\"train\",\"vehicleId\":\"G6101@2022-04-01\",\"carriage\":%s,\"row\":7,"
                        + "\"fromArea\":\"440106\",\"toArea\":\"430102\",\"departure\":\"2022-04-01T09:00:00+08:00\","
                        + "\"arrival\":\"2022-04-01T12:00:00+08:00\"}";
        assertThat(json(String.format(trip, "\"5\"")).event().carriage()).isEqualTo("5");
        assertThat(json(String.format(trip, "5")).event().carriage()).isEqualTo("5");
        assertRejected(
                json(String.format(trip, "5.5")),
                "invalid",
                "carriage",
                "invalid 'carriage': must be a string or a whole number, got the number 5.5");
    }

    @Test
    void defaultsAreFilledIn() {
        Decoded scan =
                json("{\"feed\":\"venue\",\"type\":\"scan\",\"eventId\":\"v1\",\"time\":\"2022-04-01T19:00:00+08:00\","
                        + "\"personId\":\"p1\",\"venueId\":\"V-1\",\"areaCode\":\"440106\"}");
        assertThat(scan.event().direction()).isEqualTo("in");
        Decoded diagnosis = json(
                "{\"feed\":\"health\",\"type\":\"diagnosis\",\"eventId\":\"d1\","
                        + "\"time\":\"2022-04-01T19:00:00+08:00\",\"personId\":\"p1\",\"status\":\"confirmed\",\"onset\":\"2022-03-31\"}");
        assertThat(diagnosis.event().diagnosis()).isEqualTo(DiagnosisStatus.CONFIRMED);
        assertThat(diagnosis.event().onset())
                .isEqualTo(Instant.parse("2022-03-30T16:00:00Z").toEpochMilli());
    }

    @Test
    void protobufGarbageIsMalformed() {
        byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01};
        Decoded d = decoder.decodeProto(garbage, "health", 1, 42);
        assertRejected(d, "malformed", null, "malformed: not a Protobuf Event");
        assertThat(d.rejected().source()).isEqualTo("health/1@42");
        assertThat(d.rejected().raw()).isEqualTo(garbage);
        assertRejected(decoder.decodeProto(new byte[0], "health", 0, 1), "malformed", null, "malformed: empty record");
        // text that happens to parse as unknown Protobuf fields is not an event either
        assertRejected(
                decoder.decodeProto(utf8("hello"), "health", 0, 2),
                "malformed",
                null,
                "malformed: not a Protobuf Event");
    }

    @Test
    void protobufGoesThroughTheSameChecks() {
        org.healthcode.ingest.proto.Event.Builder pcr = org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("health")
                .setType("test_result")
                .setEventId("lab1-778")
                .setTime("2022-04-01T09:30:00+08:00")
                .setRegion("440100")
                .setIdNumber(ALICE_ID)
                .setTestResult(TestResult.newBuilder()
                        .setMethod("pcr")
                        .setResult("positive")
                        .setTubeId("T-1"));
        Decoded ok = decoder.decodeProto(pcr.build().toByteArray(), "health", 0, 7);
        assertThat(ok.event()).isEqualTo(json(POSITIVE_PCR).event());

        byte[] unknownEnum = pcr.clone()
                .setTestResult(TestResult.newBuilder().setMethod("pcrx").setResult("positive"))
                .build()
                .toByteArray();
        assertRejected(decoder.decodeProto(unknownEnum, "health", 0, 8), "invalid", "method", "invalid 'method'");
        byte[] badTime = pcr.clone().setTime("2022-13-01").build().toByteArray();
        assertRejected(decoder.decodeProto(badTime, "health", 0, 9), "invalid", "time", "invalid 'time'");
        byte[] noResult = pcr.clone()
                .setTestResult(TestResult.newBuilder().setMethod("pcr"))
                .build()
                .toByteArray();
        assertRejected(decoder.decodeProto(noResult, "health", 0, 10), "missing", "result", "missing field 'result'");
        byte[] unknownType = pcr.clone().setType("foo").build().toByteArray();
        assertRejected(decoder.decodeProto(unknownType, "health", 0, 11), "unknown_type", "type", "unknown_type 'foo'");
        byte[] wrongBody = pcr.clone()
                .setType("ping")
                .setFeed("carrier")
                .setPing(Ping.newBuilder().setLat(1).setLon(2))
                .setType("test_result")
                .setFeed("health")
                .build()
                .toByteArray();
        assertRejected(
                decoder.decodeProto(wrongBody, "health", 0, 12),
                "invalid",
                "type",
                "invalid 'type': 'test_result' does not match the message body ping");
        byte[] pingWithoutLat = org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("carrier")
                .setType("ping")
                .setEventId("p")
                .setTime("2022-04-01T09:30:00+08:00")
                .setMsisdn(ALICE_PHONE)
                .setPing(Ping.newBuilder().setLon(113.3))
                .build()
                .toByteArray();
        assertRejected(decoder.decodeProto(pingWithoutLat, "carrier", 0, 13), "missing", "lat", "missing field 'lat'");
    }

    @Test
    void aJsonRejectionKeepsTheLineNumberAndTheOriginalBytes() {
        byte[] line = utf8("{\"feed\":");
        Rejected r = decoder.decodeJsonLine(line, 17).rejected();
        assertThat(r.line()).isEqualTo(17);
        assertThat(r.topic()).isNull();
        assertThat(r.raw()).isEqualTo(line);
        assertThat(r.source()).isEqualTo("line 17");
    }

    private static void assertRejected(Decoded d, String category, String field, String reasonStart) {
        assertThat(d.isOk()).as("expected a rejection, got %s", d.event()).isFalse();
        assertThat(d.event()).isNull();
        Rejected r = d.rejected();
        assertThat(r.category()).as("category of: %s", r.reason()).isEqualTo(category);
        assertThat(r.field()).as("field of: %s", r.reason()).isEqualTo(field);
        assertThat(r.reason()).startsWith(reasonStart).startsWith(category);
    }
}
