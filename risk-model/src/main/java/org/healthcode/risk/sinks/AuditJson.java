package org.healthcode.risk.sinks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.healthcode.contracts.audit.AuditLine;
import org.healthcode.risk.events.AuditRecord;

/**
 * Renders an {@link AuditRecord} as one JSON line, the {@code audit} topic's value and {@code audit.jsonl}: the common
 * fields of {@link AuditLine} (the operator as {@code caller} with role {@code operator}, the person as
 * {@code subject}, the outcome as {@code result}), then the override's own fields, absent values left out.
 */
public final class AuditJson {
    /** The role of the job's callers: override events are signed by operators. */
    static final String OPERATOR_ROLE = "operator";

    private static final JsonFactory FACTORY = new JsonFactory();

    private AuditJson() {}

    public static String toLine(AuditRecord a) {
        ByteArrayBuilder out = new ByteArrayBuilder(300);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            AuditLine.writeCommon(
                    g,
                    Instant.ofEpochMilli(a.timeMs()),
                    a.operator(),
                    a.operator() == null ? null : OPERATOR_ROLE,
                    null,
                    a.action(),
                    a.personId(),
                    a.outcome(),
                    null);
            g.writeStringField("eventId", a.eventId());
            put(g, "requestId", a.requestId());
            g.writeStringField("state", a.state());
            put(g, "colour", a.colour());
            put(g, "basis", a.basis());
            if (a.expiryMs() != null) {
                g.writeStringField("expiry", Instant.ofEpochMilli(a.expiryMs()).toString());
            }
            put(g, "reason", a.reason());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a flat object of strings always serialises", e);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static void put(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
