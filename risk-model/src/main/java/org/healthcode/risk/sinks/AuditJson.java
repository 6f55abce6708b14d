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
import org.healthcode.contracts.audit.OverrideOutcome;
import org.healthcode.risk.events.AuditRecord;

/**
 * Renders an {@link AuditRecord} as one JSON line, the {@code audit} topic's value and {@code audit.jsonl}: the common
 * fields of {@link AuditLine} (the operator as {@code caller} with role {@code operator}, the person as
 * {@code subject}, the outcome as {@code result}, the request and its state as {@code detail}), then the override's
 * own fields ({@link OverrideOutcome}, which the serving process reads back), absent values left out.
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
                    detail(a));
            g.writeStringField(OverrideOutcome.EVENT_ID, a.eventId());
            put(g, OverrideOutcome.REQUEST_ID, a.requestId());
            g.writeStringField(OverrideOutcome.STATE, a.state());
            put(g, OverrideOutcome.COLOUR, a.colour());
            put(g, OverrideOutcome.BASIS, a.basis());
            if (a.expiryMs() != null) {
                g.writeStringField(
                        OverrideOutcome.EXPIRY,
                        Instant.ofEpochMilli(a.expiryMs()).toString());
            }
            put(g, OverrideOutcome.REASON, a.reason());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a flat object of strings always serialises", e);
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * What {@code /v1/audit} shows of the record, which answers the common fields only: the request, its state after
     * this event and why it was refused.
     */
    private static String detail(AuditRecord a) {
        if (a.requestId() == null) {
            return a.reason();
        }
        String d = "override " + a.requestId() + " " + a.state();
        return a.reason() == null ? d : d + ": " + a.reason();
    }

    private static void put(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
