package org.healthcode.contracts.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.healthcode.contracts.wire.IsoTimes;

/**
 * The shape of a record on the {@code audit} topic, one JSON object per record, for every writer (the serving
 * process, the hub, the risk job) and the one reader (the serving process's audit log, which answers
 * {@code /v1/audit}). Every record starts with the same fields: {@value #AT} (ISO-8601 instant), {@value #CALLER}
 * (who acted), {@value #ROLE}, {@value #CALLER_REGION}, {@value #ACTION}, {@value #SUBJECT} (about whom or what: a
 * person id of this region, a national pseudonym, a key id), {@value #RESULT} and {@value #DETAIL}; a writer may add
 * fields of its own after them, which readers of the common fields skip. The job's override records add
 * {@code eventId}, {@code requestId}, {@code state}, {@code colour}, {@code basis}, {@code expiry} and {@code reason}.
 * A field without a value is null or absent; {@value #AT} is always there.
 */
public final class AuditLine {
    public static final String AT = "at";
    public static final String CALLER = "caller";
    public static final String ROLE = "role";
    public static final String CALLER_REGION = "callerRegion";
    public static final String ACTION = "action";
    public static final String SUBJECT = "subject";
    public static final String RESULT = "result";
    public static final String DETAIL = "detail";
    /** The common fields, in the order they are written. */
    public static final String[] COMMON = {AT, CALLER, ROLE, CALLER_REGION, ACTION, SUBJECT, RESULT, DETAIL};

    private static final JsonFactory FACTORY = new JsonFactory();

    private AuditLine() {}

    /** Writes the common fields, in their order, into the object {@code g} has started. */
    public static void writeCommon(
            JsonGenerator g,
            Instant at,
            String caller,
            String role,
            String callerRegion,
            String action,
            String subject,
            String result,
            String detail)
            throws IOException {
        g.writeStringField(AT, IsoTimes.instantText(at.getEpochSecond(), at.getNano()));
        g.writeStringField(CALLER, caller);
        g.writeStringField(ROLE, role);
        g.writeStringField(CALLER_REGION, callerRegion);
        g.writeStringField(ACTION, action);
        g.writeStringField(SUBJECT, subject);
        g.writeStringField(RESULT, result);
        g.writeStringField(DETAIL, detail);
    }

    /**
     * The text values of the top-level fields {@code names} of a JSON object, in that order (null when absent or
     * null); other fields, and nested objects and arrays, are skipped without being decoded (a field of another
     * writer or a later version is ignored).
     *
     * @throws IOException when the bytes are not a JSON object
     */
    public static String[] readTextFields(byte[] json, String[] names) throws IOException {
        return readTextFields(json, names, (field, p) -> false);
    }

    /** Reads the value of a top-level array field itself, or leaves it to be skipped. */
    @FunctionalInterface
    public interface ArrayField {
        /**
         * Called with the parser on the array's {@code START_ARRAY}: reads through its {@code END_ARRAY} and returns
         * true, or reads nothing and returns false (the array is skipped).
         */
        boolean read(String field, JsonParser p) throws IOException;
    }

    /** As {@link #readTextFields(byte[], String[])}, with top-level arrays offered to {@code arrays} first. */
    public static String[] readTextFields(byte[] json, String[] names, ArrayField arrays) throws IOException {
        String[] values = new String[names.length];
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("an audit record is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_ARRAY && arrays.read(field, p)) {
                    continue;
                }
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_NULL) {
                    for (int i = 0; i < names.length; i++) {
                        if (names[i].equals(field)) {
                            values[i] = p.getText();
                            break;
                        }
                    }
                }
            }
        }
        return values;
    }

    /** A record's {@value #AT}, which every record has. */
    public static Instant at(String atText) throws IOException {
        if (atText == null) {
            throw new IOException("an audit record has no '" + AT + "'");
        }
        try {
            return IsoTimes.parseInstant(atText);
        } catch (DateTimeParseException e) {
            throw new IOException("'" + AT + "' is not an ISO-8601 instant: " + atText, e);
        }
    }
}
