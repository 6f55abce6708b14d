package org.healthcode.codes.dcc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.healthcode.codes.format.Cbor;
import org.healthcode.codes.format.CodeFormatException;

/**
 * The CWT claims of an EU DCC: issuer country (1), expiry (4), issued-at (6) and the hcert (-260, key 1).
 *
 * @param issuer  ISO country code, may be null (optional in the spec)
 * @param hcert   the DCC payload, as decoded from CBOR
 * @param types   the certificate types present (v, t, r with a non-empty array); a valid DCC has exactly one
 */
public record DccClaims(
        String issuer, Instant issuedAt, Instant expiresAt, ObjectNode hcert, List<DccCertificateType> types) {
    public static final long ISS = 1;
    public static final long EXP = 4;
    public static final long IAT = 6;
    public static final long HCERT = -260;
    public static final String HCERT_V1 = "1";

    public static DccClaims fromCbor(byte[] payload) throws CodeFormatException {
        JsonNode map = Cbor.read(payload);
        if (!map.isObject()) {
            throw new CodeFormatException("CWT claims are not a map");
        }
        OptionalLong iat = Cbor.longAt(map, IAT);
        OptionalLong exp = Cbor.longAt(map, EXP);
        if (iat.isEmpty() || exp.isEmpty()) {
            throw new CodeFormatException("CWT claims lack iat or exp");
        }
        JsonNode hcertContainer = map.get(Long.toString(HCERT));
        JsonNode hcert = hcertContainer == null ? null : hcertContainer.get(HCERT_V1);
        if (hcert == null || !hcert.isObject()) {
            throw new CodeFormatException("CWT claims lack the hcert (-260: {1: ...})");
        }
        JsonNode iss = map.get(Long.toString(ISS));
        List<DccCertificateType> types = new ArrayList<>();
        for (DccCertificateType t : DccCertificateType.values()) {
            JsonNode entries = hcert.get(t.payloadKey());
            if (entries != null && entries.isArray() && entries.size() > 0) {
                types.add(t);
            }
        }
        return new DccClaims(
                iss != null && iss.isTextual() ? iss.asText() : null,
                Instant.ofEpochSecond(iat.getAsLong()),
                Instant.ofEpochSecond(exp.getAsLong()),
                (ObjectNode) hcert,
                List.copyOf(types));
    }
}
