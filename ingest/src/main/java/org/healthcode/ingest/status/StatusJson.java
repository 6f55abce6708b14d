package org.healthcode.ingest.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;

/**
 * The JSON form of a status (DESIGN §5): what the lookup API returns to the person's app and what replay writes.
 *
 * <p>One place renders it so the API, replay files and tests agree byte for byte. Field order is fixed;
 * times are ISO-8601 instants in UTC.
 */
public final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {}

    /** The full status, with reasons: only for the person themself (or an operator). */
    public static ObjectNode full(StatusRecord s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("personId", s.getPersonId());
        n.put("colour", s.getColour());
        n.put("since", iso(s.getSinceMs()));
        ArrayNode conditions = n.putArray("conditions");
        for (ConditionRecord c : s.getConditionsList()) {
            ObjectNode cn = conditions.addObject();
            cn.put("reason", c.getReason());
            cn.put("colour", c.getColour());
            ArrayNode cause = cn.putArray("cause");
            c.getCauseList().forEach(cause::add);
            cn.put("start", iso(c.getStartMs()));
            if (c.getPhaseEndMs() > 0) {
                cn.put("phaseEnd", iso(c.getPhaseEndMs()));
            }
            cn.put("endsWith", c.getEndsWith());
        }
        n.put("ruleVersion", s.getRuleVersion());
        n.put("seq", s.getSeq());
        n.put("effective", iso(s.getEffectiveMs()));
        return n;
    }

    /** Only colour and since: what a checkpoint or another region may see. */
    public static ObjectNode minimal(StatusRecord s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("personId", s.getPersonId());
        n.put("colour", s.getColour());
        n.put("since", iso(s.getSinceMs()));
        return n;
    }

    public static String toLine(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    public static String iso(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }
}
