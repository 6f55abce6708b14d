package org.healthcode.interop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import org.healthcode.ingest.wire.IsoTimes;
import org.healthcode.interop.security.Caller;

/**
 * One decision for the audit trail: who ({@code caller}, {@code role}, {@code callerRegion}), did what
 * ({@code action}: lookup, verify, exchange_in, exchange_out, trust_register, access), about whom or what
 * ({@code subject}: a person id of this region, a national pseudonym, a key id; null when the input was malformed,
 * since raw input is not recorded), when, and with which {@code result} ({@code found}, {@code valid}, an error code).
 */
public record AuditRecord(Instant at, String caller, String role, String callerRegion, String action, String subject,
                          String result, String detail) {
    public static final String LOOKUP = "lookup";
    public static final String VERIFY = "verify";
    public static final String EXCHANGE_IN = "exchange_in";
    public static final String EXCHANGE_OUT = "exchange_out";
    public static final String TRUST_REGISTER = "trust_register";
    public static final String ACCESS = "access";
    /** The caller name of requests refused before anyone was authenticated. */
    public static final String UNAUTHENTICATED = "unauthenticated";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** A record for {@code caller} (null: not authenticated). */
    public static AuditRecord of(Instant at, Caller caller, String action, String subject, String result,
                                 String detail) {
        return new AuditRecord(at, caller == null ? UNAUTHENTICATED : caller.name(),
                caller == null ? null : caller.role().wireName(), caller == null ? null : caller.region(), action,
                subject, result, detail);
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
            g.writeStringField("at", IsoTimes.instantText(at.getEpochSecond(), at.getNano()));
            g.writeStringField("caller", caller);
            g.writeStringField("role", role);
            g.writeStringField("callerRegion", callerRegion);
            g.writeStringField("action", action);
            g.writeStringField("subject", subject);
            g.writeStringField("result", result);
            g.writeStringField("detail", detail);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a record from its JSON bytes with Jackson's streaming parser (no tree): the audit index reads every
     * record of the topic back, one per lookup. Unknown fields are skipped; absent or null fields are null.
     *
     * @throws IOException when the bytes are not a JSON object, or {@code at} is missing or not an instant
     */
    public static AuditRecord fromJsonBytes(byte[] json) throws IOException {
        String atText = null, caller = null, role = null, callerRegion = null, action = null, subject = null,
                result = null, detail = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("an audit record is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                String text = value == JsonToken.VALUE_NULL ? null : p.getText();
                switch (field) {
                    case "at" -> atText = text;
                    case "caller" -> caller = text;
                    case "role" -> role = text;
                    case "callerRegion" -> callerRegion = text;
                    case "action" -> action = text;
                    case "subject" -> subject = text;
                    case "result" -> result = text;
                    case "detail" -> detail = text;
                    default -> { } // a field of a later version: ignored, as fromJson does
                }
            }
        }
        if (atText == null) {
            throw new IOException("an audit record has no 'at'");
        }
        try {
            return new AuditRecord(parseInstant(atText), caller, role, callerRegion, action, subject, result, detail);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("'at' is not an ISO-8601 instant: " + atText, e);
        }
    }

    /**
     * What the audit index keys a record by, read from its JSON bytes: {@code at}, {@code subject} and
     * {@code caller} only; the other values are skipped without being decoded (the index reads every record of the
     * topic, one per lookup).
     *
     * @throws IOException when the bytes are not a JSON object, or {@code at} is missing or not an instant
     */
    static AuditIndex.Entry readIndexKeys(byte[] json, int partition, long offset) throws IOException {
        String atText = null, caller = null, subject = null;
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("an audit record is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    switch (field) {
                        case "at" -> atText = p.getText();
                        case "caller" -> caller = p.getText();
                        case "subject" -> subject = p.getText();
                        default -> { } // not a key: left undecoded
                    }
                }
            }
        }
        if (atText == null) {
            throw new IOException("an audit record has no 'at'");
        }
        try {
            return new AuditIndex.Entry(subject, caller, parseInstant(atText).toEpochMilli(), json, partition, offset);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("'at' is not an ISO-8601 instant: " + atText, e);
        }
    }

    /**
     * An instant as {@link Instant#toString()} writes it for years 0000-9999 ({@code 2026-11-27T03:26:18Z}, with 1 to
     * 9 fraction digits or none), read without the general formatter (which was a quarter of the audit index's
     * reading); anything else goes to {@link Instant#parse}, which decides. Same result as it where both answer.
     */
    static Instant parseInstant(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z') {
            return Instant.parse(t);
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(t);
            }
            nanos = digits(t, 20, fraction);
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month)
                .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || nanos < 0) {
            return Instant.parse(t);
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second, nanos);
    }

    /** The non-negative number of {@code len} ASCII digits at {@code from}; -1 when any is not a digit. */
    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static AuditRecord fromJson(JsonNode n) {
        return new AuditRecord(Instant.parse(n.path("at").asText()), text(n, "caller"), text(n, "role"),
                text(n, "callerRegion"), text(n, "action"), text(n, "subject"), text(n, "result"), text(n, "detail"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
