package org.healthcode.interop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
        StringWriter out = new StringWriter(200);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("at", at.toString());
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
        return out.toString();
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
