package org.healthcode.interop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.healthcode.interop.json.IsoInstants;
import org.healthcode.interop.json.JsonText;
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
     * The same JSON object as {@link #toJson()}, as one line, written directly: this runs for every lookup, where a
     * Jackson tree and {@link Instant#toString()} cost more than the lookup itself. {@code at} keeps ISO-8601 UTC
     * with the fraction of a second (what {@link Instant#parse} reads back).
     */
    public String toJsonLine() {
        StringBuilder b = new StringBuilder(200);
        b.append("{\"at\":\"");
        IsoInstants.append(b, at);
        b.append('"');
        field(b, "caller", caller);
        field(b, "role", role);
        field(b, "callerRegion", callerRegion);
        field(b, "action", action);
        field(b, "subject", subject);
        field(b, "result", result);
        field(b, "detail", detail);
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        JsonText.string(b, value);
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
