package org.healthcode.ingest.overrides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.ingest.testing.IngestFixtures.utf8;

import java.time.Instant;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.testing.IngestFixtures;
import org.healthcode.ingest.wire.EventTrees;
import org.junit.jupiter.api.Test;

/** Override events stand only signed by the serving process; operators are compared in canonical form. */
class OverrideSignaturesTest {
    private static final Instant MONDAY_10AM = Instant.parse("2022-04-04T02:00:00Z");
    private final OverrideEvents serving = new OverrideEvents(IngestFixtures.OVERRIDE_SIGNER, "440100");
    private final StandardEventDecoder decoder = IngestFixtures.decoder();

    private Event request(String operator) {
        return serving.request(
                "ovr-1",
                MONDAY_10AM,
                "alice",
                "appeal-7",
                "green",
                "lab letter 2022-118",
                MONDAY_10AM.plusSeconds(7 * 86_400),
                operator);
    }

    @Test
    void aSignedRequestFromTheServingProcessIsAcceptedWithTheOperatorInCanonicalForm() {
        Decoded d = decoder.decodeProto(request(" Op-Chen ").toByteArray(), "overrides", 0, 1);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
        assertThat(d.event().type()).isEqualTo(EventType.OVERRIDE_REQUEST);
        assertThat(d.event().operator()).isEqualTo("op-chen");
        assertThat(d.event().expiry())
                .isEqualTo(MONDAY_10AM.plusSeconds(7 * 86_400).toEpochMilli());
    }

    @Test
    void anUnsignedOverrideIsRefusedNamingTheSignature() {
        Event forged = request("op-chen").toBuilder().clearSignature().build();
        Decoded d = decoder.decodeProto(forged.toByteArray(), "overrides", 0, 1);
        assertThat(d.isOk()).isFalse();
        assertThat(d.rejected().field()).isEqualTo("signature");
        assertThat(d.rejected().reason()).contains("missing field 'signature'");
    }

    @Test
    void anOverrideSignedByAnotherKeyOrAlteredAfterSigningIsRefused() {
        var intruder = new OverrideEvents(
                new OverrideSignatures.Signer(OverrideSignatures.generate().getPrivate()), "440100");
        Event other = intruder.approval("ovr-2", MONDAY_10AM, "appeal-7", "op-li");
        Decoded d = decoder.decodeProto(other.toByteArray(), "overrides", 0, 2);
        assertThat(d.isOk()).isFalse();
        assertThat(d.rejected().field()).isEqualTo("signature");

        Event genuine = serving.approval("ovr-3", MONDAY_10AM, "appeal-7", "op-li");
        Event altered = genuine.toBuilder()
                .setOverrideApproval(genuine.getOverrideApproval().toBuilder().setApprover("op-wang"))
                .build();
        assertThat(decoder.decodeProto(genuine.toByteArray(), "overrides", 0, 3).isOk())
                .isTrue();
        Decoded changed = decoder.decodeProto(altered.toByteArray(), "overrides", 0, 4);
        assertThat(changed.isOk()).isFalse();
        assertThat(changed.rejected().field()).isEqualTo("signature");
    }

    @Test
    void aDecoderWithoutAnOverrideKeyRefusesEveryOverride() {
        StandardEventDecoder noKey = new StandardEventDecoder(IngestFixtures.pseudonymiser());
        Decoded d = noKey.decodeProto(request("op-chen").toByteArray(), "overrides", 0, 1);
        assertThat(d.isOk()).isFalse();
        assertThat(d.rejected().field()).isEqualTo("signature");
    }

    @Test
    void theJsonLineOfASignedEventVerifiesToo() {
        String line = EventTrees.toTree(request("op-chen")).toString();
        Decoded d = decoder.decodeJsonLine(utf8(line), 1);
        assertThat(d.isOk()).as("%s", d.rejected()).isTrue();
    }

    @Test
    void operatorsAreComparedAfterNormalisation() {
        assertThat(OverrideSignatures.canonicalOperator("Op-Chen")).isEqualTo("op-chen");
        assertThat(OverrideSignatures.canonicalOperator(" op-chen\t")).isEqualTo("op-chen");
        // fullwidth letters (NFKC folds them) and a fullwidth hyphen-minus
        assertThat(OverrideSignatures.canonicalOperator("\uFF4F\uFF50\uFF0D\uFF43\uFF48\uFF45\uFF4E"))
                .isEqualTo("op-chen");
    }
}
