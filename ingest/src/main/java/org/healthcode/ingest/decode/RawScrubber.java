package org.healthcode.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.function.UnaryOperator;

/**
 * Takes raw ID numbers and phone numbers out of a rejected record's original bytes before they leave ingest: a
 * valid {@code idNumber} becomes {@code personId} (its pseudonym), a valid {@code msisdn} becomes {@code phoneId},
 * so a corrected record can be re-injected as is; an invalid one is replaced by {@value #REDACTED} (the source must
 * correct it anyway, and a re-injection is rejected naming the field again). A record that does not parse keeps its
 * bytes with every run of 11 or more digits overwritten by {@code #} (same length, so a Protobuf record keeps its
 * structure).
 */
public final class RawScrubber {
    /** What an invalid raw value is replaced with. */
    public static final String REDACTED = "redacted";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RawScrubber() {}

    /**
     * @param personIdOf the pseudonym of a raw ID number, or null when it is not a valid one
     * @param phoneIdOf  the pseudonym of a raw phone number, or null when it is not a valid one
     */
    public static byte[] json(byte[] line, UnaryOperator<String> personIdOf, UnaryOperator<String> phoneIdOf) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (Exception e) {
            return digitRuns(line);
        }
        if (!(node instanceof ObjectNode o)) {
            return digitRuns(line);
        }
        boolean changed = false;
        JsonNode given = o.get("personId");
        if (given != null && given.isTextual() && rawIdentity(given.asText())) {
            String p = personIdOf.apply(given.asText());
            o.put("personId", p != null ? p : REDACTED);
            changed = true;
        }
        JsonNode id = o.get("idNumber");
        if (id != null) {
            String p = id.isTextual() ? personIdOf.apply(id.asText()) : null;
            if (p != null) {
                o.remove("idNumber");
                o.put("personId", p);
            } else {
                o.put("idNumber", REDACTED);
            }
            changed = true;
        }
        JsonNode phone = o.get("msisdn");
        if (phone != null) {
            String p = phone.isTextual() ? phoneIdOf.apply(phone.asText()) : null;
            if (p != null) {
                o.remove("msisdn");
                o.put("phoneId", p);
            } else {
                o.put("msisdn", REDACTED);
            }
            changed = true;
        }
        if (!changed) {
            return digitRuns(line);
        }
        try {
            return JSON.writeValueAsBytes(o);
        } catch (Exception e) {
            return digitRuns(line);
        }
    }

    /** The Protobuf form of {@link #json}. */
    public static byte[] proto(byte[] value, UnaryOperator<String> personIdOf, UnaryOperator<String> phoneIdOf) {
        org.healthcode.ingest.proto.Event e;
        try {
            e = org.healthcode.ingest.proto.Event.parseFrom(value);
        } catch (InvalidProtocolBufferException ex) {
            return digitRuns(value);
        }
        boolean rawPersonId = rawIdentity(e.getPersonId());
        if (e.getIdNumber().isEmpty() && e.getMsisdn().isEmpty() && !rawPersonId) {
            return e.getUnknownFields().asMap().isEmpty() ? value : digitRuns(value);
        }
        org.healthcode.ingest.proto.Event.Builder b = e.toBuilder();
        if (rawPersonId) {
            String p = personIdOf.apply(e.getPersonId());
            b.setPersonId(p != null ? p : REDACTED);
        }
        if (!e.getIdNumber().isEmpty()) {
            String p = personIdOf.apply(e.getIdNumber());
            b.clearIdNumber();
            if (p != null) {
                b.setPersonId(p);
            } else {
                b.setIdNumber(REDACTED);
            }
        }
        if (!e.getMsisdn().isEmpty()) {
            String p = phoneIdOf.apply(e.getMsisdn());
            b.clearMsisdn();
            if (p != null) {
                b.setPhoneId(p);
            } else {
                b.setMsisdn(REDACTED);
            }
        }
        return b.build().toByteArray();
    }

    /** A raw ID number or mobile number given where a pseudonym belongs. */
    private static boolean rawIdentity(String personId) {
        return !personId.isEmpty()
                && (org.healthcode.ingest.pseudonym.IdNumbers.isValid(personId)
                        || StandardEventDecoder.RAW_PHONE.matcher(personId).matches());
    }

    /** Every run of 11 or more ASCII digits (an optional trailing X) overwritten by '#', same length. */
    static byte[] digitRuns(byte[] raw) {
        byte[] out = raw.clone();
        int i = 0;
        while (i < out.length) {
            if (out[i] >= '0' && out[i] <= '9') {
                int j = i;
                while (j < out.length && out[j] >= '0' && out[j] <= '9') {
                    j++;
                }
                if (j < out.length && (out[j] == 'X' || out[j] == 'x') && j - i == 17) {
                    j++;
                }
                if (j - i >= 11) {
                    java.util.Arrays.fill(out, i, j, (byte) '#');
                }
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }
}
