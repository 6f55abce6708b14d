package org.healthcode.codes.issue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;
import org.healthcode.codes.format.Cbor;
import org.healthcode.codes.format.CodeFormatException;

/**
 * The CWT claim set (RFC 8392) inside a health code. Integer keys, all required:
 * <pre>
 *   1  iss     text   issuing region, GB/T 2260 code ("440000")
 *   2  sub     text   the person's regional pseudonym sealed for this code (AES-GCM under the region's subject key,
 *                      fresh nonce: unrelated between two codes of one person; only the issuing region opens it)
 *   4  exp     int    expiry, epoch seconds
 *   6  iat     int    issued at, epoch seconds
 *   7  cti     bytes  code id, 12 random bytes
 *  -65537 colour  uint   1 green, 2 yellow, 3 red           (private-use key range of the CWT registry)
 *  -65538 since   int    the colour holds since, epoch seconds
 * </pre>
 * Nothing else: no name, no ID number, no phone number, no reasons (the person sees those in the app, not a stranger).
 */
public record HealthCodeClaims(
        String issuer,
        String subject,
        Instant issuedAt,
        Instant expiresAt,
        byte[] codeId,
        Colour colour,
        Instant since) {
    public static final long ISS = 1;
    public static final long SUB = 2;
    public static final long EXP = 4;
    public static final long IAT = 6;
    public static final long CTI = 7;
    public static final long COLOUR = -65537;
    public static final long SINCE = -65538;

    public HealthCodeClaims {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(codeId, "codeId");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(since, "since");
    }

    public String codeIdHex() {
        return HexFormat.of().formatHex(codeId);
    }

    public byte[] toCbor() {
        return Cbor.write(g -> {
            g.writeStartObject(null, 7);
            g.writeFieldId(ISS);
            g.writeString(issuer);
            g.writeFieldId(SUB);
            g.writeString(subject);
            g.writeFieldId(EXP);
            g.writeNumber(expiresAt.getEpochSecond());
            g.writeFieldId(IAT);
            g.writeNumber(issuedAt.getEpochSecond());
            g.writeFieldId(CTI);
            g.writeBinary(codeId);
            g.writeFieldId(COLOUR);
            g.writeNumber(colour.claimValue());
            g.writeFieldId(SINCE);
            g.writeNumber(since.getEpochSecond());
            g.writeEndObject();
        });
    }

    /** Strict: every claim present with its type, a known colour, exp after iat. */
    public static HealthCodeClaims fromCbor(byte[] bytes) throws CodeFormatException {
        JsonNode map = Cbor.read(bytes);
        if (!map.isObject()) {
            throw new CodeFormatException("claim set is not a map");
        }
        String iss = text(map, ISS, "iss");
        String sub = text(map, SUB, "sub");
        long exp = integer(map, EXP, "exp");
        long iat = integer(map, IAT, "iat");
        long colourValue = integer(map, COLOUR, "colour");
        long since = integer(map, SINCE, "since");
        JsonNode cti = map.get(Long.toString(CTI));
        if (cti == null || !cti.isBinary()) {
            throw new CodeFormatException("claim cti missing or not bytes");
        }
        Colour colour = Colour.byClaimValue(colourValue)
                .orElseThrow(() -> new CodeFormatException("unknown colour value " + colourValue));
        if (exp <= iat) {
            throw new CodeFormatException("exp is not after iat");
        }
        try {
            return new HealthCodeClaims(
                    iss,
                    sub,
                    Instant.ofEpochSecond(iat),
                    Instant.ofEpochSecond(exp),
                    cti.binaryValue(),
                    colour,
                    Instant.ofEpochSecond(since));
        } catch (IOException e) {
            throw new CodeFormatException("claim cti unreadable", e);
        }
    }

    private static String text(JsonNode map, long key, String name) throws CodeFormatException {
        JsonNode v = map.get(Long.toString(key));
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new CodeFormatException("claim " + name + " missing or not text");
        }
        return v.asText();
    }

    private static long integer(JsonNode map, long key, String name) throws CodeFormatException {
        JsonNode v = map.get(Long.toString(key));
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new CodeFormatException("claim " + name + " missing or not an integer");
        }
        OptionalLong value = Cbor.longAt(map, key);
        return value.orElseThrow();
    }
}
