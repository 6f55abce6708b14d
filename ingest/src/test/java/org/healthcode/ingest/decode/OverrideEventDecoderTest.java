package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.ingest.testing.IngestFixtures.utf8;

import java.time.Instant;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.OverrideApproval;
import org.healthcode.ingest.proto.OverrideRequest;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The override feed's lines: request, approval, refusal, withdrawal; a request without basis or expiry is refused. */
class OverrideEventDecoderTest {
    private static final String REQUEST = "{\"feed\":\"overrides\",\"type\":\"override_request\",\"eventId\":\"req-1\","
            + "\"time\":\"2022-04-05T10:00:00+08:00\",\"personId\":\"alice\",\"requestId\":\"appeal-7\",\"colour\":\"green\","
            + "\"basis\":\"lab letter 2022-118: tube mislabelled\",\"expiry\":\"2022-04-12T10:00:00+08:00\","
            + "\"requester\":\"op-chen\"}";

    private final StandardEventDecoder decoder = IngestFixtures.decoder();

    /** The line as the serving process writes it: signed. */
    private Decoded json(String line) {
        return decoder.decodeJsonLine(utf8(IngestFixtures.signed(line)), 3);
    }

    private static String requestWith(String field, String fragment) {
        return IngestFixtures.withField(REQUEST, field, fragment);
    }

    @Test
    void aRequestCarriesPersonColourBasisExpiryAndRequester() {
        Decoded d = json(REQUEST);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        Event e = d.event();
        assertThat(e.type()).isEqualTo(EventType.OVERRIDE_REQUEST);
        assertThat(e.type().feed()).isEqualTo(Feed.OVERRIDES);
        assertThat(e.personId()).isEqualTo("alice");
        assertThat(e.requestId()).isEqualTo("appeal-7");
        assertThat(e.colour()).isEqualTo("green");
        assertThat(e.basis()).isEqualTo("lab letter 2022-118: tube mislabelled");
        assertThat(e.expiry()).isEqualTo(Instant.parse("2022-04-12T02:00:00Z").toEpochMilli());
        assertThat(e.operator()).isEqualTo("op-chen");
    }

    @Test
    void approvalsRefusalsAndWithdrawalsNameTheRequestAndTheOperator() {
        Event approval = json("{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"a-1\","
                        + "\"time\":\"2022-04-05T11:00:00+08:00\",\"requestId\":\"appeal-7\",\"approver\":\"op-li\"}")
                .event();
        assertThat(approval.requestId()).isEqualTo("appeal-7");
        assertThat(approval.operator()).isEqualTo("op-li");
        assertThat(approval.personId()).isNull();
        Event refusal = json("{\"feed\":\"overrides\",\"type\":\"override_refusal\",\"eventId\":\"r-1\","
                        + "\"time\":\"2022-04-05T11:00:00+08:00\",\"requestId\":\"appeal-8\",\"operator\":\"op-li\","
                        + "\"reason\":\"no letter\"}")
                .event();
        assertThat(refusal.reason()).isEqualTo("no letter");
        Event withdrawal = json("{\"feed\":\"overrides\",\"type\":\"override_withdrawal\",\"eventId\":\"w-1\","
                        + "\"time\":\"2022-04-06T11:00:00+08:00\",\"requestId\":\"appeal-7\",\"operator\":\"op-chen\"}")
                .event();
        assertThat(withdrawal.type()).isEqualTo(EventType.OVERRIDE_WITHDRAWAL);
        assertThat(withdrawal.operator()).isEqualTo("op-chen");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing basis       | basis     |                                          | missing | basis     | missing field 'basis'
            blank basis         | basis     | "basis":"   "                            | missing | basis     | missing field 'basis'
            missing expiry      | expiry    |                                          | missing | expiry    | missing field 'expiry'
            expiry not after    | expiry    | "expiry":"2022-04-05T10:00:00+08:00"     | invalid | expiry    | invalid 'expiry': is not after the request's time
            missing requester   | requester |                                          | missing | requester | missing field 'requester'
            bad requester       | requester | "requester":"op chen"                    | invalid | requester | invalid 'requester'
            unknown colour      | colour    | "colour":"blue"                          | invalid | colour    | invalid 'colour': 'blue' is not one of green|yellow|red
            missing requestId   | requestId |                                          | missing | requestId | missing field 'requestId'
            no person           | personId  |                                          | missing | idNumber  | missing field 'idNumber'
            wrong feed          | feed      | "feed":"police"                          | invalid | feed      | invalid 'feed': 'police' does not carry override_request
            """)
    void aBadRequestIsRejectedNamingTheField(
            String name, String field, String fragment, String category, String rejectedField, String reasonStart) {
        Decoded d = json(requestWith(field, fragment));
        assertThat(d.isOk()).isFalse();
        assertThat(d.rejected().category()).isEqualTo(category);
        assertThat(d.rejected().field()).isEqualTo(rejectedField);
        assertThat(d.rejected().reason()).startsWith(reasonStart);
    }

    @Test
    void anApprovalWithoutApproverAndARefusalWithoutReasonAreRejected() {
        Decoded noApprover = json("{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"a-1\","
                + "\"time\":\"2022-04-05T11:00:00+08:00\",\"requestId\":\"appeal-7\"}");
        assertThat(noApprover.rejected().field()).isEqualTo("approver");
        Decoded noReason = json("{\"feed\":\"overrides\",\"type\":\"override_refusal\",\"eventId\":\"r-1\","
                + "\"time\":\"2022-04-05T11:00:00+08:00\",\"requestId\":\"appeal-8\",\"operator\":\"op-li\"}");
        assertThat(noReason.rejected().field()).isEqualTo("reason");
    }

    @Test
    void protobufOverridesGoThroughTheSameChecks() {
        org.healthcode.ingest.proto.Event request = org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("overrides")
                .setType("override_request")
                .setEventId("req-1")
                .setTime("2022-04-05T10:00:00+08:00")
                .setPersonId("alice")
                .setOverrideRequest(OverrideRequest.newBuilder()
                        .setRequestId("appeal-7")
                        .setColour("red")
                        .setExpiry("2022-04-12T10:00:00+08:00")
                        .setRequester("op-chen"))
                .build();
        Decoded noBasis = decoder.decodeProto(request.toByteArray(), "overrides", 0, 5);
        assertThat(noBasis.rejected().field()).isEqualTo("basis");
        assertThat(noBasis.rejected().source()).isEqualTo("overrides/0@5");
        org.healthcode.ingest.proto.Event approval = org.healthcode.ingest.proto.Event.newBuilder()
                .setFeed("overrides")
                .setType("override_approval")
                .setEventId("a-1")
                .setTime("2022-04-05T11:00:00+08:00")
                .setOverrideApproval(
                        OverrideApproval.newBuilder().setRequestId("appeal-7").setApprover("op-li"))
                .build();
        approval = approval.toBuilder()
                .setSignature(
                        IngestFixtures.OVERRIDE_SIGNER.sign(org.healthcode.ingest.wire.EventTrees.toTree(approval)))
                .build();
        Decoded ok = decoder.decodeProto(approval.toByteArray(), "overrides", 0, 6);
        assertThat(ok.isOk()).as("%s", ok.rejected()).isTrue();
        assertThat(ok.event().operator()).isEqualTo("op-li");
    }
}
