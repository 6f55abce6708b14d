package org.healthcode.interop.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.keys.RegionKey;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListJson;

/**
 * A region's request to the hub: "these are my keys now (current, next, previous), and these key ids are withdrawn
 * for good", signed by one of the region's keys the hub already trusts. The signature covers the canonical bytes of
 * the region's trust list ({@code TrustListJson.signedBytes}) followed by {@code "\nwithdraw:" + kids joined by ","}.
 *
 * <pre>{"format":"healthcode-key-registration","version":1,"trustList":{...},"withdraw":["kid",...],
 *  "signedBy":"kid","alg":"EdDSA","signature":"base64"}</pre>
 */
public record KeyRegistration(
        TrustList trustList, List<String> withdraw, String signedBy, String alg, String signature) {
    public static final String FORMAT = "healthcode-key-registration";
    private static final ObjectMapper JSON = new ObjectMapper();

    public KeyRegistration {
        withdraw = List.copyOf(withdraw);
    }

    /** The bytes the signature covers. */
    public static byte[] signedBytes(TrustList list, List<String> withdraw) {
        byte[] a = TrustListJson.signedBytes(list);
        byte[] b = ("\nwithdraw:" + String.join(",", withdraw)).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A registration of {@code list} (hub signature stripped) withdrawing {@code withdraw}, signed with {@code signer}. */
    public static KeyRegistration sign(TrustList list, List<String> withdraw, RegionKey signer, CoseCrypto crypto) {
        TrustList bare = new TrustList(
                list.region(), list.issuedAt(), list.expiresAt(), list.keys(), java.util.Optional.empty());
        byte[] sig = crypto.sign(signer.algorithm(), signer.privateKey(), signedBytes(bare, withdraw));
        return new KeyRegistration(
                bare,
                withdraw,
                signer.kidBase64(),
                signer.algorithm().jsonName(),
                Base64.getEncoder().encodeToString(sig));
    }

    public String toJson() {
        try {
            ObjectNode n = JSON.createObjectNode();
            n.put("format", FORMAT);
            n.put("version", 1);
            n.set("trustList", JSON.readTree(TrustListJson.write(trustList)));
            ArrayNode w = n.putArray("withdraw");
            withdraw.forEach(w::add);
            n.put("signedBy", signedBy);
            n.put("alg", alg);
            n.put("signature", signature);
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyRegistration parse(String text) throws TrustListException {
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !FORMAT.equals(n.path("format").asText())) {
                throw new TrustListException("not a " + FORMAT);
            }
            List<String> withdraw = new ArrayList<>();
            n.path("withdraw").forEach(k -> withdraw.add(k.asText()));
            return new KeyRegistration(
                    TrustListJson.read(JSON.writeValueAsString(n.path("trustList"))),
                    withdraw,
                    n.path("signedBy").asText(),
                    n.path("alg").asText(),
                    n.path("signature").asText());
        } catch (IOException e) {
            throw new TrustListException("registration is not JSON: " + e.getMessage(), e);
        }
    }
}
