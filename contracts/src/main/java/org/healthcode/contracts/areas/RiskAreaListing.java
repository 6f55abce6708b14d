package org.healthcode.contracts.areas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.healthcode.contracts.wire.IsoTimes;

/**
 * The record of the compacted {@code risk-areas} topic, keyed by the listing's event id: one risk-area listing as the
 * job took it into its broadcast state (the reference feed's {@code risk_area} events that passed validation,
 * deduplication and the lateness check). The serving process keeps them to answer "which areas are risk areas now"
 * and to name the listing behind a person's risk-area condition.
 *
 * @param listingId the listing event's id (the AreaStay cause {@code area-<stay>/<listingId>} names it)
 * @param areaCode GB/T 2260 code; a code ending in zeros covers the codes under it
 * @param level {@code high}, {@code medium} or {@code low}
 * @param fromMs listed from (epoch ms)
 * @param toMs listed until (epoch ms), or null: until further notice
 */
public record RiskAreaListing(String listingId, String areaCode, String level, long fromMs, Long toMs) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Whether the listing is high or medium and in force at {@code atMs}: from at or before it, to after it. */
    public boolean inForceAt(long atMs) {
        return ("high".equals(level) || "medium".equals(level)) && fromMs <= atMs && (toMs == null || toMs > atMs);
    }

    /**
     * Whether a stay in {@code stayArea} from {@code stayFromMs} to {@code stayToMs} counts under this listing, as the
     * job's risk-area rule decides it: the listing is high or medium, covers the stay's area, and its period overlaps
     * the stay (ends included).
     */
    public boolean matchesStay(String stayArea, long stayFromMs, long stayToMs) {
        return ("high".equals(level) || "medium".equals(level))
                && covers(areaCode, stayArea)
                && overlaps(fromMs, toMs, stayFromMs, stayToMs);
    }

    /** True when {@code listed} covers {@code stay}: a code ending in zeros covers the codes under it. */
    public static boolean covers(String listed, String stay) {
        String prefix = listed;
        while (prefix.length() > 2 && prefix.endsWith("00")) {
            prefix = prefix.substring(0, prefix.length() - 2);
        }
        return stay != null && stay.startsWith(prefix);
    }

    /** Whether a listing from {@code listedFromMs} to {@code listedToMs} (null: open) overlaps a stay, ends included. */
    public static boolean overlaps(long listedFromMs, Long listedToMs, long stayFromMs, long stayToMs) {
        long to = listedToMs == null ? Long.MAX_VALUE : listedToMs;
        return stayFromMs <= to && listedFromMs <= stayToMs;
    }

    /** One line of JSON, fields in a fixed order, times as ISO-8601 with offset. */
    public String toJson() {
        return toNode().toString();
    }

    /** The JSON form as a tree, for answers that embed it. */
    public ObjectNode toNode() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("listingId", listingId);
        n.put("areaCode", areaCode);
        n.put("level", level);
        n.put("from", IsoTimes.format(fromMs));
        if (toMs != null) {
            n.put("to", IsoTimes.format(toMs));
        } else {
            n.putNull("to");
        }
        return n;
    }

    /** Reads {@link #toJson()}'s form; fails naming the field on anything else. */
    public static RiskAreaListing parse(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("risk area listing: not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("risk area listing: not a JSON object");
        }
        JsonNode to = n.get("to");
        return new RiskAreaListing(
                text(n, "listingId"),
                text(n, "areaCode"),
                text(n, "level"),
                IsoTimes.parse(text(n, "from")),
                to == null || to.isNull() ? null : IsoTimes.parse(to.asText()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("risk area listing: " + field + " missing or not text");
        }
        return v.asText();
    }
}
