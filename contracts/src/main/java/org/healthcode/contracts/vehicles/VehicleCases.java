package org.healthcode.contracts.vehicles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.healthcode.contracts.wire.IsoTimes;

/**
 * The record of the compacted {@code vehicle-cases} topic, keyed by vehicle id: where on one vehicle the cases sat
 * whose trip falls in their infectious window, as the job's same-vehicle rule sees them, and nothing about who they
 * are (no person id, no pseudonym, no event id). The job writes it whenever what it knows of the vehicle changes
 * (a tombstone when no case is left: withdrawn, or expired after the look-back); the serving process keeps the
 * latest per vehicle and answers the fellow-traveller self-check from it.
 *
 * @param vehicleId flight or train number with date, as in the trip events ({@code G6301@2022-04-01})
 * @param flightRowWindow the rule set's row window for flights (rows within it of a case's row are close)
 * @param cases the cases' trips, in a fixed order (so live and replay write the same bytes)
 */
public record VehicleCases(String vehicleId, int flightRowWindow, List<CaseTrip> cases) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A case's trip on the vehicle: its mode, seat position and ride, and when the case was found. */
    public record CaseTrip(
            String mode, Boolean sealed, String carriage, Integer row, long fromMs, long toMs, long caseFoundMs) {}

    /** The order the cases are written in. */
    public static final Comparator<CaseTrip> ORDER = Comparator.comparing(
                    CaseTrip::mode, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(CaseTrip::carriage, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .thenComparing(CaseTrip::row, Comparator.nullsFirst(Comparator.<Integer>naturalOrder()))
            .thenComparingLong(CaseTrip::fromMs)
            .thenComparingLong(CaseTrip::toMs)
            .thenComparingLong(CaseTrip::caseFoundMs)
            .thenComparing(c -> String.valueOf(c.sealed()));

    public VehicleCases {
        List<CaseTrip> sorted = new ArrayList<>(cases);
        sorted.sort(ORDER);
        cases = List.copyOf(sorted);
    }

    /** One line of JSON, fields in a fixed order, times as ISO-8601 with offset. */
    public String toJson() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("vehicleId", vehicleId);
        n.put("flightRowWindow", flightRowWindow);
        ArrayNode a = n.putArray("cases");
        for (CaseTrip c : cases) {
            ObjectNode t = a.addObject();
            t.put("mode", c.mode());
            if (c.sealed() != null) {
                t.put("sealed", c.sealed());
            }
            if (c.carriage() != null) {
                t.put("carriage", c.carriage());
            }
            if (c.row() != null) {
                t.put("row", c.row());
            }
            t.put("from", IsoTimes.format(c.fromMs()));
            t.put("to", IsoTimes.format(c.toMs()));
            t.put("caseFound", IsoTimes.format(c.caseFoundMs()));
        }
        try {
            return MAPPER.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #toJson()}'s form; fails naming the field on anything else. */
    public static VehicleCases parse(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("vehicle cases: not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("vehicle cases: not a JSON object");
        }
        String vehicleId = text(n, "vehicleId");
        if (!n.path("flightRowWindow").canConvertToInt()) {
            throw new IllegalArgumentException("vehicle cases: flightRowWindow missing or not a number");
        }
        List<CaseTrip> cases = new ArrayList<>();
        for (JsonNode t : n.path("cases")) {
            cases.add(new CaseTrip(
                    text(t, "mode"),
                    t.has("sealed") ? t.get("sealed").asBoolean() : null,
                    t.has("carriage") ? t.get("carriage").asText() : null,
                    t.has("row") ? t.get("row").asInt() : null,
                    IsoTimes.parse(text(t, "from")),
                    IsoTimes.parse(text(t, "to")),
                    IsoTimes.parse(text(t, "caseFound"))));
        }
        return new VehicleCases(vehicleId, n.get("flightRowWindow").asInt(), cases);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("vehicle cases: " + field + " missing or not text");
        }
        return v.asText();
    }
}
