package org.healthcode.interop.json;

import java.nio.charset.StandardCharsets;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.ingest.status.StatusJson;

/**
 * The body of a full status lookup, byte for byte what {@code StatusJson.toLine(StatusJson.full(s))} writes (the one
 * definition of the status JSON, DESIGN §5), written straight into bytes: a Jackson tree, its serialiser and
 * {@code Instant.toString()} per field cost about as much as the rest of a lookup together. The tests hold the two
 * equal; a field added to {@link StatusJson#full} must be added here too.
 */
public final class StatusBodies {
    private StatusBodies() {}

    /** The full status JSON as UTF-8. */
    public static byte[] full(StatusRecord s) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"personId\":");
        JsonText.string(b, s.getPersonId());
        b.append(",\"colour\":");
        JsonText.string(b, s.getColour());
        b.append(",\"since\":\"");
        IsoInstants.appendMillis(b, s.getSinceMs());
        b.append("\",\"conditions\":[");
        for (int i = 0; i < s.getConditionsCount(); i++) {
            ConditionRecord c = s.getConditions(i);
            b.append(i == 0 ? "{\"reason\":" : ",{\"reason\":");
            JsonText.string(b, c.getReason());
            b.append(",\"colour\":");
            JsonText.string(b, c.getColour());
            b.append(",\"cause\":[");
            for (int j = 0; j < c.getCauseCount(); j++) {
                if (j > 0) {
                    b.append(',');
                }
                JsonText.string(b, c.getCause(j));
            }
            b.append("],\"start\":\"");
            IsoInstants.appendMillis(b, c.getStartMs());
            b.append('"');
            if (c.getPhaseEndMs() > 0) {
                b.append(",\"phaseEnd\":\"");
                IsoInstants.appendMillis(b, c.getPhaseEndMs());
                b.append('"');
            }
            b.append(",\"endsWith\":");
            JsonText.string(b, c.getEndsWith());
            b.append('}');
        }
        b.append("],\"ruleVersion\":");
        JsonText.string(b, s.getRuleVersion());
        b.append(",\"seq\":").append(s.getSeq());
        b.append(",\"effective\":\"");
        IsoInstants.appendMillis(b, s.getEffectiveMs());
        return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
