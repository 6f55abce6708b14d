package org.healthcode.interop.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.contracts.audit.AuditLine;
import org.healthcode.interop.security.Caller;

/**
 * One decision for the audit trail: who ({@code caller}, {@code role}, {@code callerRegion}), did what
 * ({@code action}: lookup, verify, exchange_in, exchange_out, trust_register, access, audit_read, correction,
 * correction_read, declaration), about whom or what
 * ({@code subject}: a person id of this region, a national pseudonym, a key id; null when the input was malformed,
 * since raw input is not recorded), when, and with which {@code result} ({@code found}, {@code valid}, an error code).
 * Its JSON is the common fields of {@link AuditLine}, the shape every writer of the {@code audit} topic follows.
 *
 * <p>A batch of lookups is one record ({@link #batch(Instant, Caller, List, String)}): {@code subject} null,
 * {@code result} {@value #BATCH}, and after the common fields {@code "batch": [{"subject": ..., "result": ...}, ...]}
 * naming every person it looked up. The audit index files it under each of them as that person's own lookup record
 * ({@link #asSeenBy}), so a person's audit shows the lookup of them and no one else's id.
 */
public record AuditRecord(
        Instant at,
        String caller,
        String role,
        String callerRegion,
        String action,
        String subject,
        String result,
        String detail,
        List<BatchItem> batch) {
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
    /** The result of a batch record; each person's own result is in its {@code batch} list. */
    public static final String BATCH = "batch";

    static final String BATCH_FIELD = "batch";

    /** One person of a batch record and what their lookup found ({@code found} or an error code). */
    public record BatchItem(String subject, String result) {}

    /** A record of one decision about one subject (or none). */
    public AuditRecord(
            Instant at,
            String caller,
            String role,
            String callerRegion,
            String action,
            String subject,
            String result,
            String detail) {
        this(at, caller, role, callerRegion, action, subject, result, detail, List.of());
    }

    public AuditRecord {
        batch = batch == null ? List.of() : List.copyOf(batch);
    }

    /**
     * One lookup record for a whole batch of lookups by {@code caller} (null: not authenticated): every person in
     * {@code items} named with their own result.
     */
    public static AuditRecord batch(Instant at, Caller caller, List<BatchItem> items, String detail) {
        AuditRecord r = of(at, caller, LOOKUP, null, BATCH, detail);
        return new AuditRecord(r.at, r.caller, r.role, r.callerRegion, LOOKUP, null, BATCH, detail, items);
    }

    /**
     * A batch record as one of its persons sees it: their own lookup record (subject, their result, the batch's
     * detail), naming no one else.
     */
    public AuditRecord asSeenBy(BatchItem item) {
        return new AuditRecord(at, caller, role, callerRegion, action, item.subject(), item.result(), detail);
    }

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
        if (!batch.isEmpty()) {
            ArrayNode items = n.putArray(BATCH_FIELD);
            for (BatchItem i : batch) {
                items.addObject().put(AuditLine.SUBJECT, i.subject()).put(AuditLine.RESULT, i.result());
            }
        }
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
            if (!batch.isEmpty()) {
                g.writeArrayFieldStart(BATCH_FIELD);
                for (BatchItem i : batch) {
                    g.writeStartObject();
                    g.writeStringField(AuditLine.SUBJECT, i.subject());
                    g.writeStringField(AuditLine.RESULT, i.result());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a record from its JSON bytes with Jackson's streaming parser (no tree): the audit index reads every
     * record of the topic back. Unknown fields are skipped; absent or null fields are null.
     *
     * @throws IOException when the bytes are not a JSON object, or {@code at} is missing or not an instant
     */
    public static AuditRecord fromJsonBytes(byte[] json) throws IOException {
        List<BatchItem> batch = new ArrayList<>(0);
        String[] v = readFields(json, batch);
        return new AuditRecord(AuditLine.at(v[0]), v[1], v[2], v[3], v[4], v[5], v[6], v[7], batch);
    }

    /**
     * What the audit index keys a record by: {@code at}, {@code subject} and {@code caller}; for a batch record,
     * each of its persons with the record as that person sees it ({@link #asSeenBy}).
     *
     * @throws IOException when the bytes are not a JSON object, or {@code at} is missing or not an instant
     */
    static AuditIndex.Entry readIndexKeys(byte[] json, int partition, long offset) throws IOException {
        List<BatchItem> batch = new ArrayList<>(0);
        String[] v = readFields(json, batch);
        Instant at = AuditLine.at(v[0]);
        List<AuditIndex.Keyed> perSubject = List.of();
        if (!batch.isEmpty()) {
            AuditRecord whole = new AuditRecord(at, v[1], v[2], v[3], v[4], v[5], v[6], v[7], batch);
            perSubject = new ArrayList<>(batch.size());
            for (BatchItem i : batch) {
                if (i.subject() != null) {
                    perSubject.add(
                            new AuditIndex.Keyed(i.subject(), whole.asSeenBy(i).toJsonBytes()));
                }
            }
        }
        return new AuditIndex.Entry(v[5], v[1], at.toEpochMilli(), json, partition, offset, perSubject);
    }

    /**
     * The common fields' text values (null when absent or null), and the items of a {@code batch} array into
     * {@code batch}; other fields, objects and arrays are skipped without being decoded.
     */
    private static String[] readFields(byte[] json, List<BatchItem> batch) throws IOException {
        return AuditLine.readTextFields(json, AuditLine.COMMON, (field, p) -> {
            if (!BATCH_FIELD.equals(field)) {
                return false;
            }
            readBatch(p, batch);
            return true;
        });
    }

    private static void readBatch(JsonParser p, List<BatchItem> batch) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String subject = null;
            String result = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_NULL && AuditLine.SUBJECT.equals(field)) {
                    subject = p.getText();
                } else if (value != JsonToken.VALUE_NULL && AuditLine.RESULT.equals(field)) {
                    result = p.getText();
                }
            }
            batch.add(new BatchItem(subject, result));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IOException("'" + BATCH_FIELD + "' is an array of objects");
        }
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
                text(n, "detail"),
                batchOf(n.get(BATCH_FIELD)));
    }

    private static List<BatchItem> batchOf(JsonNode items) {
        List<BatchItem> out = new ArrayList<>();
        if (items != null && items.isArray()) {
            items.forEach(i -> out.add(new BatchItem(text(i, "subject"), text(i, "result"))));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
