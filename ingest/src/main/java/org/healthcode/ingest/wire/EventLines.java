package org.healthcode.ingest.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.healthcode.ingest.proto.Event;

/** Renders a Protobuf feed {@link Event} as one JSON line (DESIGN §5 names, fixed field order, no line terminator). */
public final class EventLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventLines() {}

    public static byte[] toBytes(Event e) {
        try {
            return MAPPER.writeValueAsBytes(EventTrees.toTree(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a flat tree of strings and numbers always serialises", ex);
        }
    }

    public static String toLine(Event e) {
        return new String(toBytes(e), StandardCharsets.UTF_8);
    }
}
