package org.healthcode.risk.crossregion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The notice JSON of docs/interop.md for an {@link ExchangeRequest}. The idempotency key is the first 128 bits of
 * SHA-256 over the content ({@code from|to|nationalId|colour|category|since|expiry}, instants in ISO-8601 UTC), the
 * same derivation as the serving process's own notices: a request replayed after a restore is the same notice, and
 * the receiver acknowledges it without applying it twice.
 */
public final class ExchangeRequestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExchangeRequestJson() {}

    public static String idempotencyKey(ExchangeRequest r) {
        String material = String.join("|", r.fromRegion(), r.toRegion(), r.nationalId(), r.colour(),
                r.reasonCategory(), Instant.ofEpochMilli(r.sinceMs()).toString(),
                Instant.ofEpochMilli(r.expiryMs()).toString());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static String toJson(ExchangeRequest r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("idempotencyKey", idempotencyKey(r));
        n.put("fromRegion", r.fromRegion());
        n.put("toRegion", r.toRegion());
        n.put("nationalId", r.nationalId());
        n.put("colour", r.colour());
        n.put("reasonCategory", r.reasonCategory());
        n.put("since", Instant.ofEpochMilli(r.sinceMs()).toString());
        n.put("expiry", Instant.ofEpochMilli(r.expiryMs()).toString());
        return n.toString();
    }
}
