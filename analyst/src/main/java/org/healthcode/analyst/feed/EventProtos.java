package org.healthcode.analyst.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import org.healthcode.ingest.proto.Event;

/**
 * An event line as the Protobuf {@code Event} an authority sends on its feed topic: the common fields, and the body
 * named by {@code type}, each field found under its JSON name ({@code eventId}, {@code areaCode}, ...), the inverse of
 * ingest's {@code EventTrees.toTree}. Raw {@code idNumber} and {@code msisdn} stay as they are: the job pseudonymises
 * them when it decodes the record, as it does every live record. Fields the line does not have stay unset; fields
 * the schema does not have are ignored, as the decoder ignores them.
 */
public final class EventProtos {
    private static final OneofDescriptor BODY = Event.getDescriptor().getOneofs().stream()
            .filter(o -> o.getName().equals("body"))
            .findFirst()
            .orElseThrow();

    private EventProtos() {}

    /** The Protobuf event of a line that ingest's decoder accepted. */
    public static Event fromLine(JsonNode line) {
        Event.Builder b = Event.newBuilder();
        for (FieldDescriptor f : Event.getDescriptor().getFields()) {
            if (f.getContainingOneof() == null) {
                set(b, f, line.get(f.getJsonName()));
            }
        }
        String type = line.path("type").asText();
        for (FieldDescriptor f : BODY.getFields()) {
            if (f.getName().equals(type)) {
                Message.Builder body = b.newBuilderForField(f);
                for (FieldDescriptor bf : f.getMessageType().getFields()) {
                    set(body, bf, line.get(bf.getJsonName()));
                }
                b.setField(f, body.build());
            }
        }
        return b.build();
    }

    private static void set(Message.Builder b, FieldDescriptor f, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        if (f.isRepeated()) {
            // a list of strings (a health declaration's symptoms): each element in order; anything else the
            // decoder rejects as the line would have been
            if (v.isArray() && f.getJavaType() == FieldDescriptor.JavaType.STRING) {
                for (JsonNode item : v) {
                    b.addRepeatedField(f, item.isTextual() ? item.asText() : item.toString());
                }
            }
            return;
        }
        switch (f.getJavaType()) {
            case STRING -> b.setField(f, v.isTextual() ? v.asText() : v.toString());
            case BOOLEAN -> b.setField(f, v.asBoolean());
            case INT -> b.setField(f, v.asInt());
            case LONG -> b.setField(f, v.asLong());
            case DOUBLE -> b.setField(f, v.asDouble());
            case FLOAT -> b.setField(f, (float) v.asDouble());
            default -> {
                // the feed schema has no other kinds of field
            }
        }
    }
}
