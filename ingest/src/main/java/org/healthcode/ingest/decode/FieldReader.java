package org.healthcode.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.format.DateTimeParseException;
import org.healthcode.contracts.wire.IsoTimes;

/**
 * Typed, checked access to the fields of one record; every failure is a {@link Problem} naming the field.
 * Absent, JSON null and the empty string all count as missing (Protobuf cannot tell them apart).
 */
final class FieldReader {
    private final JsonNode node;
    private final String type;

    FieldReader(JsonNode node, String type) {
        this.node = node;
        this.type = type;
    }

    private JsonNode present(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
            return null;
        }
        return v;
    }

    String optionalText(String field) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw Problem.invalid(field, "must be a string, got " + kind(v));
        }
        return v.textValue();
    }

    /** A label that feeds send as a string or as a whole number (a trip's carriage: "5" or 5); null if absent. */
    String optionalTextOrInt(String field) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Long.toString(v.longValue());
        }
        if (!v.isTextual()) {
            throw Problem.invalid(field, "must be a string or a whole number, got " + kind(v));
        }
        return v.textValue();
    }

    /** Like {@link #optionalText} but never echoes the value (ID numbers, phone numbers). */
    String optionalSensitiveText(String field) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw Problem.invalid(field, "must be a string");
        }
        return v.textValue();
    }

    String requiredText(String field, String needs) throws Problem {
        String v = optionalText(field);
        if (v == null) {
            throw Problem.missing(field, type + " needs " + needs);
        }
        return v;
    }

    String optionalEnum(String field, String... values) throws Problem {
        String v = optionalText(field);
        if (v == null) {
            return null;
        }
        for (String allowed : values) {
            if (allowed.equals(v)) {
                return allowed;
            }
        }
        throw Problem.invalid(field, Problem.quote(v) + " is not one of " + String.join("|", values));
    }

    String requiredEnum(String field, String... values) throws Problem {
        String v = optionalEnum(field, values);
        if (v == null) {
            throw Problem.missing(field, type + " needs " + String.join("|", values));
        }
        return v;
    }

    Long optionalTime(String field) throws Problem {
        String v = optionalText(field);
        if (v == null) {
            return null;
        }
        long ms;
        try {
            ms = IsoTimes.parse(v);
        } catch (DateTimeParseException e) {
            throw Problem.invalid(
                    field, Problem.quote(v) + " is not ISO-8601 with offset (e.g. 2022-04-01T09:30:00+08:00)");
        }
        if (!IsoTimes.inRange(ms)) {
            throw Problem.invalid(field, Problem.quote(v) + " is outside 2000-2099");
        }
        return ms;
    }

    long requiredTime(String field, String needs) throws Problem {
        Long v = optionalTime(field);
        if (v == null) {
            throw Problem.missing(field, needs);
        }
        return v;
    }

    Long optionalDate(String field) throws Problem {
        String v = optionalText(field);
        if (v == null) {
            return null;
        }
        try {
            return IsoTimes.parseDate(v);
        } catch (DateTimeParseException e) {
            throw Problem.invalid(field, Problem.quote(v) + " is not an ISO date (e.g. 2022-04-01)");
        }
    }

    String optionalArea(String field) throws Problem {
        String v = optionalText(field);
        if (v != null && !isAreaCode(v)) {
            throw Problem.invalid(field, Problem.quote(v) + " is not a six-digit GB/T 2260 area code");
        }
        return v;
    }

    String requiredArea(String field) throws Problem {
        String v = optionalArea(field);
        if (v == null) {
            throw Problem.missing(field, type + " needs a six-digit GB/T 2260 area code");
        }
        return v;
    }

    Integer optionalInt(String field, int min, int max) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw Problem.invalid(field, "must be an integer, got " + kind(v));
        }
        int i = v.intValue();
        if (i < min || i > max) {
            throw Problem.invalid(field, i + " is outside " + min + ".." + max);
        }
        return i;
    }

    int requiredInt(String field, int min, int max, String needs) throws Problem {
        Integer v = optionalInt(field, min, max);
        if (v == null) {
            throw Problem.missing(field, type + " needs " + needs);
        }
        return v;
    }

    double requiredDouble(String field, double min, double max, String needs) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            throw Problem.missing(field, type + " needs " + needs);
        }
        if (!v.isNumber()) {
            throw Problem.invalid(field, "must be a number, got " + kind(v));
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw Problem.invalid(field, d + " is outside " + (long) min + ".." + (long) max);
        }
        return d;
    }

    /** A number within {@code min..max}; null if absent. */
    Double optionalDouble(String field, double min, double max) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw Problem.invalid(field, "must be a number, got " + kind(v));
        }
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw Problem.invalid(field, d + " is outside " + min + ".." + max);
        }
        return d;
    }

    /** An array of at most {@code max} non-empty strings; empty when absent. */
    java.util.List<String> optionalTextList(String field, int max) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return java.util.List.of();
        }
        if (!v.isArray()) {
            throw Problem.invalid(field, "must be an array of strings, got " + kind(v));
        }
        if (v.size() > max) {
            throw Problem.invalid(field, "has " + v.size() + " entries, at most " + max);
        }
        java.util.List<String> out = new java.util.ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw Problem.invalid(field, "must be an array of strings, got " + kind(item) + " in it");
            }
            out.add(item.textValue());
        }
        return out;
    }

    boolean optionalBool(String field, boolean dflt) throws Problem {
        JsonNode v = present(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw Problem.invalid(field, "must be true or false, got " + kind(v));
        }
        return v.booleanValue();
    }

    static boolean isAreaCode(String v) {
        if (v.length() != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "a string " + Problem.quote(v.textValue());
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
