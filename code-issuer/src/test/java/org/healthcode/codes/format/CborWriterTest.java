package org.healthcode.codes.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.HealthCodeClaims;
import org.junit.jupiter.api.Test;

/** The hand-written CBOR of issuing is byte for byte what Jackson's generator writes, and reads back. */
class CborWriterTest {
    private static final Instant MONDAY_9AM = Instant.parse("2022-04-04T01:00:00Z");

    @Test
    void integersOfEveryHeadLengthMatchJackson() {
        long[] values = {0, 23, 24, 255, 256, 65535, 65536, 4294967295L, 4294967296L, Long.MAX_VALUE,
            -1, -24, -25, -256, -257, -65536, -65537, -65538, -4294967296L, -4294967297L, Long.MIN_VALUE};
        for (long v : values) {
            byte[] ours = new CborWriter(4).integer(v).toByteArray();
            byte[] jackson = Cbor.write(g -> g.writeNumber(v));
            assertThat(ours).as("value %d", v).isEqualTo(jackson);
        }
    }

    @Test
    void claimsHeaderAndSign1MatchJacksonAndDecode() throws Exception {
        HealthCodeClaims claims = new HealthCodeClaims("440000", "p-\u00e9l\u00e8ve-0001", MONDAY_9AM,
            MONDAY_9AM.plusSeconds(300), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Colour.RED,
            MONDAY_9AM.minusSeconds(86_400));
        byte[] jackson = Cbor.write(g -> {
            g.writeStartObject(null, 7);
            g.writeFieldId(HealthCodeClaims.ISS);
            g.writeString(claims.issuer());
            g.writeFieldId(HealthCodeClaims.SUB);
            g.writeString(claims.subject());
            g.writeFieldId(HealthCodeClaims.EXP);
            g.writeNumber(claims.expiresAt().getEpochSecond());
            g.writeFieldId(HealthCodeClaims.IAT);
            g.writeNumber(claims.issuedAt().getEpochSecond());
            g.writeFieldId(HealthCodeClaims.CTI);
            g.writeBinary(claims.codeId());
            g.writeFieldId(HealthCodeClaims.COLOUR);
            g.writeNumber(claims.colour().claimValue());
            g.writeFieldId(HealthCodeClaims.SINCE);
            g.writeNumber(claims.since().getEpochSecond());
            g.writeEndObject();
        });
        assertThat(claims.toCbor()).isEqualTo(jackson);
        assertThat(HealthCodeClaims.fromCbor(claims.toCbor())).usingRecursiveComparison().isEqualTo(claims);

        byte[] kid = {9, 8, 7, 6, 5, 4, 3, 2};
        byte[] header = CoseSign1.protectedHeader(CoseAlgorithm.EDDSA, kid);
        assertThat(header).isEqualTo(Cbor.write(g -> {
            g.writeStartObject(null, 2);
            g.writeFieldId(1);
            g.writeNumber(CoseAlgorithm.EDDSA.coseId());
            g.writeFieldId(4);
            g.writeBinary(kid);
            g.writeEndObject();
        }));
        byte[] signature = new byte[64];
        signature[63] = 42;
        CoseSign1 decoded = CoseSign1.decode(CoseSign1.encode(header, claims.toCbor(), signature));
        assertThat(decoded.protectedBytes()).isEqualTo(header);
        assertThat(decoded.payload()).isEqualTo(claims.toCbor());
        assertThat(decoded.signature()).isEqualTo(signature);
        assertThat(decoded.protectedKid()).hasValueSatisfying(k -> assertThat(k).isEqualTo(kid));
        assertThat(decoded.toBeSigned()).isEqualTo(Cbor.write(g -> {
            g.writeStartArray(null, 4);
            g.writeString("Signature1");
            g.writeBinary(header);
            g.writeBinary(new byte[0]);
            g.writeBinary(claims.toCbor());
            g.writeEndArray();
        }));
    }
}
