package org.healthcode.codes.trust;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The trust-list file format (JSON; see docs/codes.md) and the canonical bytes a hub signature covers:
 * the document without its {@code hubSignature} member, object keys sorted, no insignificant whitespace.
 */
public final class TrustListJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrustListJson() {}

    public static String write(TrustList list) {
        try {
            return JSON.writeValueAsString(toNode(list)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(TrustList list, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, write(list));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static TrustList read(Path file) throws TrustListException {
        try {
            return read(Files.readString(file));
        } catch (IOException e) {
            throw new TrustListException("cannot read trust list " + file + ": " + e.getMessage(), e);
        }
    }

    public static TrustList read(String text) throws TrustListException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new TrustListException("trust list is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !TrustList.FORMAT.equals(root.path("format").asText())) {
            throw new TrustListException("not a trust list: format must be " + TrustList.FORMAT);
        }
        if (root.path("version").asInt(-1) != TrustList.VERSION) {
            throw new TrustListException("unsupported trust-list version " + root.path("version"));
        }
        try {
            List<TrustListKey> keys = new ArrayList<>();
            for (JsonNode k : root.path("keys")) {
                List<String> usage = new ArrayList<>();
                k.path("usage").forEach(u -> usage.add(u.asText()));
                keys.add(new TrustListKey(
                        required(k, "kid"),
                        required(k, "alg"),
                        required(k, "publicKey"),
                        Instant.parse(required(k, "notBefore")),
                        Instant.parse(required(k, "notAfter")),
                        usage,
                        k.path("status").asText("")));
            }
            Optional<HubSignature> hub = Optional.empty();
            JsonNode h = root.get("hubSignature");
            if (h != null && !h.isNull()) {
                hub = Optional.of(new HubSignature(required(h, "kid"), required(h, "alg"), required(h, "signature")));
            }
            return new TrustList(
                    required(root, "region"),
                    Instant.parse(required(root, "issuedAt")),
                    Instant.parse(required(root, "expiresAt")),
                    keys,
                    hub);
        } catch (DateTimeParseException e) {
            throw new TrustListException("trust list has a bad time: " + e.getParsedString(), e);
        }
    }

    private static String required(JsonNode node, String field) throws TrustListException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new TrustListException("trust list: missing " + field);
        }
        return v.asText();
    }

    static ObjectNode toNode(TrustList list) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", TrustList.FORMAT);
        root.put("version", TrustList.VERSION);
        root.put("region", list.region());
        root.put("issuedAt", list.issuedAt().toString());
        root.put("expiresAt", list.expiresAt().toString());
        ArrayNode keys = root.putArray("keys");
        for (TrustListKey k : list.keys()) {
            ObjectNode n = keys.addObject();
            n.put("kid", k.kid())
                    .put("alg", k.alg())
                    .put("publicKey", k.publicKey())
                    .put("notBefore", k.notBefore().toString())
                    .put("notAfter", k.notAfter().toString());
            ArrayNode usage = n.putArray("usage");
            k.usage().forEach(usage::add);
            n.put("status", k.status());
        }
        list.hubSignature()
                .ifPresent(h -> root.putObject("hubSignature")
                        .put("kid", h.kid())
                        .put("alg", h.alg())
                        .put("signature", h.signature()));
        return root;
    }

    /** The bytes the hub signs: the list as written by {@link #write}, minus hubSignature, canonicalised. */
    public static byte[] signedBytes(TrustList list) {
        ObjectNode node = toNode(list);
        node.remove("hubSignature");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)) {
            writeCanonical(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeCanonical(JsonNode node, JsonGenerator g) throws IOException {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                g.writeFieldName(e.getKey());
                writeCanonical(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode item : node) {
                writeCanonical(item, g);
            }
            g.writeEndArray();
        } else {
            g.writeTree(node);
        }
    }
}
