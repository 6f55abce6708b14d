package org.healthcode.risk.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.healthcode.risk.events.AuditRecord;

/** Renders an {@link AuditRecord} as one JSON line (fixed field order, absent values left out): the {@code audit} topic's value and {@code audit.jsonl}. */
public final class AuditJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditJson() {}

    public static String toLine(AuditRecord a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", Instant.ofEpochMilli(a.timeMs()).toString());
        n.put("eventId", a.eventId());
        n.put("action", a.action());
        n.put("outcome", a.outcome());
        put(n, "requestId", a.requestId());
        put(n, "personId", a.personId());
        put(n, "operator", a.operator());
        n.put("state", a.state());
        put(n, "colour", a.colour());
        put(n, "basis", a.basis());
        if (a.expiryMs() != null) {
            n.put("expiry", Instant.ofEpochMilli(a.expiryMs()).toString());
        }
        put(n, "reason", a.reason());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a flat tree of strings always serialises", e);
        }
    }

    private static void put(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
