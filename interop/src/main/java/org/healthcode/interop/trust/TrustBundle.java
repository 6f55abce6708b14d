package org.healthcode.interop.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.KeyIds;
import org.healthcode.codes.trust.HubSignature;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListJson;

/**
 * The national trust list the hub publishes: every registered region's trust list (each hub-signed in code-issuer's
 * format, so {@code TrustStore} and {@code ./healthcode verify --hub-key} check it as they are) inside one document
 * with a serial number and validity, signed as a whole by the hub key. The outer signature stops a region list from
 * being dropped or an older bundle from being replayed (regions refuse a lower serial): a withdrawn key stays withdrawn.
 *
 * <p>Signed bytes: the document without {@code hubSignature}, object keys sorted, no whitespace (the same canonical
 * form code-issuer uses for one list).
 */
public record TrustBundle(
        long serial, Instant issuedAt, Instant expiresAt, List<TrustList> lists, Optional<HubSignature> hubSignature) {
    public static final String FORMAT = "healthcode-trust-bundle";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper CANONICAL =
            JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    public TrustBundle {
        lists = List.copyOf(lists);
    }

    /** Signs the bundle: each list with {@code HubSignatures}-compatible signatures, then the whole. */
    public static TrustBundle sign(
            long serial,
            Instant issuedAt,
            Instant expiresAt,
            List<TrustList> lists,
            PrivateKey key,
            PublicKey pub,
            CoseAlgorithm alg,
            CoseCrypto crypto) {
        List<TrustList> signed = new ArrayList<>();
        for (TrustList l : lists) {
            TrustList inner = new TrustList(l.region(), issuedAt, expiresAt, l.keys(), Optional.empty());
            signed.add(org.healthcode.codes.trust.HubSignatures.sign(inner, key, pub, alg, crypto));
        }
        TrustBundle unsigned = new TrustBundle(serial, issuedAt, expiresAt, signed, Optional.empty());
        byte[] sig = crypto.sign(alg, key, unsigned.signedBytes());
        return new TrustBundle(
                serial,
                issuedAt,
                expiresAt,
                signed,
                Optional.of(new HubSignature(
                        Base64.getEncoder().encodeToString(KeyIds.ofPublicKey(pub)),
                        alg.jsonName(),
                        Base64.getEncoder().encodeToString(sig))));
    }

    /** Fails unless the outer signature verifies with {@code hubKey} (the inner ones are checked by TrustStore). */
    public void verify(PublicKey hubKey, CoseCrypto crypto) throws TrustListException {
        HubSignature h =
                hubSignature.orElseThrow(() -> new TrustListException("trust bundle carries no hub signature"));
        CoseAlgorithm alg = CoseAlgorithm.byName(h.alg())
                .orElseThrow(() -> new TrustListException("hub signature algorithm " + h.alg() + " unknown"));
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(h.signature());
        } catch (IllegalArgumentException e) {
            throw new TrustListException("hub signature is not base64", e);
        }
        if (!crypto.verify(alg, hubKey, signedBytes(), sig)) {
            throw new TrustListException("the hub signature on trust bundle " + serial + " does not verify");
        }
    }

    public boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt);
    }

    public byte[] signedBytes() {
        ObjectNode n = toNode();
        n.remove("hubSignature");
        try {
            return CANONICAL.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toNode()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode toNode() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("serial", serial);
        root.put("issuedAt", issuedAt.toString());
        root.put("expiresAt", expiresAt.toString());
        ArrayNode arr = root.putArray("lists");
        for (TrustList l : lists) {
            try {
                arr.add(JSON.readTree(TrustListJson.write(l)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        hubSignature.ifPresent(h -> root.putObject("hubSignature")
                .put("kid", h.kid())
                .put("alg", h.alg())
                .put("signature", h.signature()));
        return root;
    }

    public static TrustBundle parse(String text) throws TrustListException {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null
                    || !FORMAT.equals(root.path("format").asText())
                    || root.path("version").asInt() != VERSION) {
                throw new TrustListException("not a " + FORMAT + " version " + VERSION);
            }
            List<TrustList> lists = new ArrayList<>();
            for (JsonNode l : root.path("lists")) {
                lists.add(TrustListJson.read(JSON.writeValueAsString(l)));
            }
            JsonNode h = root.get("hubSignature");
            Optional<HubSignature> sig = h == null
                    ? Optional.empty()
                    : Optional.of(new HubSignature(
                            h.path("kid").asText(),
                            h.path("alg").asText(),
                            h.path("signature").asText()));
            return new TrustBundle(
                    root.path("serial").asLong(),
                    Instant.parse(root.path("issuedAt").asText()),
                    Instant.parse(root.path("expiresAt").asText()),
                    lists,
                    sig);
        } catch (IOException | java.time.DateTimeException e) {
            throw new TrustListException("trust bundle unreadable: " + e.getMessage(), e);
        }
    }
}
