package org.healthcode.interop.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.healthcode.contracts.audit.AuditLine;
import org.healthcode.interop.security.Caller;

/**
 * One decision for the audit trail: who ({@code caller}, {@code role}, {@code callerRegion}), did what
 * ({@code action}: lookup, verify, exchange_in, exchange_out, trust_register, access, audit_read, correction,
 * correction_read, declaration), about whom or what
 * ({@code subject}: a person id of this region, a national pseudonym, a key id; null when the input was malformed,
 * since raw input is not recorded), when, and with which {@code result} ({@code found}, {@code valid}, an error code).
 * Its JSON is the common fields of {@link AuditLine}, the shape every writer of the {@code audit} topic follows.
 */
public record AuditRecord(
        Instant at,
        String caller,
        String role,
        String callerRegion,
        String action,
        String subject,
        String result,
        String detail) {
    public static final String LOOKUP = "lookup";
    public static final String VERIFY = "verify";
    public static final String EXCHANGE_IN = "exchange_in";
    public static final String EXCHANGE_OUT = "exchange_out";
    public static final String TRUST_REGISTER = "trust_register";
    public static final String ACCESS = "access";
    /** A person's health or itinerary declaration, accepted or refused. */
    public static final String DECLARATION = "declaration";
    /** A read of the audit trail itself (a person's own view, an operator's query). */
    public static final String AUDIT_READ = "audit_read";
    /** The caller name of requests refused before anyone was authenticated. */
    public static final String UNAUTHENTICATED = "unauthenticated";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** A record for {@code caller} (null: not authenticated). */
    public static AuditRecord of(
            Instant at, Caller caller, String action, String subject, String result, String detail) {
        return new AuditRecord(
                at,
                caller == null ? UNAUTHENTICATED : caller.name(),
                caller == null ? null : caller.role().wireName(),
                caller == null ? null : caller.region(),
                action,
                subject,
                result,
                detail);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("at", at.toString());
        n.put("caller", caller);
        n.put("role", role);
        n.put("callerRegion", callerRegion);
        n.put("action", action);
        n.put("subject", subject);
        n.put("result", result);
        n.put("detail", detail);
        return n;
    }

    /**
     * The same JSON object as {@link #toJson()}, as one line, written with Jackson's streaming generator: this runs
     * for every lookup, where building a tree first costs more than the lookup itself.
     */
    public String toJsonLine() {
        return new String(toJsonBytes(), StandardCharsets.UTF_8);
    }

    /** {@link #toJsonLine()} as UTF-8 bytes, generated straight into bytes (what the audit topic carries). */
    public byte[] toJsonBytes() {
        ByteArrayBuilder out = new ByteArrayBuilder(200);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            AuditLine.writeCommon(g, at, caller, role, callerRegion, action, subject, result, detail);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The fields {@link #readIndexKeys} reads. */
    private static final String[] INDEX_FIELDS = {AuditLine.AT, AuditLine.CALLER, AuditLine.SUBJECT};

    /**
     * Reads a record from its JSON bytes with Jackson's streaming parser (no tree): the audit index reads every
     * record of the topic back, one per lookup. Unknown fields are skipped; absent or null fields are null.
     *
     * @throws IOException when the bytes are not a JSON object, or {@code at} is missing or not an instant
     */
    public static AuditRecord fromJsonBytes(byte[] json) throws IOException {
        String[] v = AuditLine.readTextFields(json, AuditLine.COMMON);
        return new AuditRecord(AuditLine.at(v[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    /**
     * What the audit index keys a record by, read from its JSON bytes: {@code at}, {@code subject} and
     * {@code caller} only; the other values are skipped without being decoded (the index reads every record of the
     * topic, one per lookup).
     *
     * @throws IOException when the bytes are not a JSON object, or {@code at} is missing or not an instant
     */
    static AuditIndex.Entry readIndexKeys(byte[] json, int partition, long offset) throws IOException {
        String[] v = AuditLine.readTextFields(json, INDEX_FIELDS);
        return new AuditIndex.Entry(v[2], v[1], AuditLine.at(v[0]).toEpochMilli(), json, partition, offset);
    }

    public static AuditRecord fromJson(JsonNode n) {
        return new AuditRecord(
                Instant.parse(n.path("at").asText()),
                text(n, "caller"),
                text(n, "role"),
                text(n, "callerRegion"),
                text(n, "action"),
                text(n, "subject"),
                text(n, "result"),
                text(n, "detail"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
