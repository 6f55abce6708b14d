package org.healthcode.interop.citizen;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.healthcode.contracts.vehicles.VehicleCases;
import org.healthcode.contracts.vehicles.VehicleProximity;
import org.healthcode.contracts.vehicles.VehicleProximity.Proximity;
import org.healthcode.interop.http.JsonResponses;

/**
 * The fellow-traveller self-check (同行人员自查): a flight or train number with its date, and optionally the asker's
 * carriage or row, against the vehicles' case records the job publishes. The answer says whether a case travelled
 * on the vehicle and what the same-vehicle rule ({@link VehicleProximity}, the job's own) makes of the asker's
 * position, and nothing else: no case's identity, seat, ride or found time, and no count of cases below
 * {@link #COUNT_THRESHOLD} (only whether there are fewer than that), so one case cannot be singled out.
 */
public final class FellowTravellerCheck {
    /** Counts of cases on a vehicle are never given below this; only "fewer than" it. */
    public static final int COUNT_THRESHOLD = 10;

    private static final Pattern VEHICLE_ID = Pattern.compile("([A-Za-z0-9]{1,12})@(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern CARRIAGE = Pattern.compile("[A-Za-z0-9]{1,4}");

    /** A question that cannot be asked: names the field and why. */
    public static final class BadQuestion extends IllegalArgumentException {
        private final String field;

        BadQuestion(String field, String message) {
            super(field + ": " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** A checked question: the vehicle id (number upper-cased) and the asker's position, each possibly null. */
    public record Question(String vehicleId, String carriage, Integer row) {}

    private final Function<String, VehicleCases> vehicles;

    public FellowTravellerCheck(Function<String, VehicleCases> vehicles) {
        this.vehicles = vehicles;
    }

    /** Checks the raw parameters; throws {@link BadQuestion} naming the first bad field. */
    public static Question question(String vehicleId, String carriage, String row) {
        if (vehicleId == null || vehicleId.isBlank()) {
            throw new BadQuestion("vehicleId", "required: flight or train number and date, e.g. G6301@2022-04-01");
        }
        var m = VEHICLE_ID.matcher(vehicleId.strip());
        if (!m.matches()) {
            throw new BadQuestion(
                    "vehicleId", "must be a flight or train number, '@' and the date, e.g. G6301@2022-04-01");
        }
        try {
            LocalDate.parse(m.group(2));
        } catch (DateTimeParseException e) {
            throw new BadQuestion("vehicleId", "the date " + m.group(2) + " is not a calendar date");
        }
        String c = carriage == null || carriage.isBlank() ? null : carriage.strip();
        if (c != null && !CARRIAGE.matcher(c).matches()) {
            throw new BadQuestion("carriage", "1 to 4 letters or digits, e.g. 5");
        }
        Integer r = null;
        if (row != null && !row.isBlank()) {
            try {
                r = Integer.parseInt(row.strip());
            } catch (NumberFormatException e) {
                r = -1;
            }
            if (r < 1 || r > 999) {
                throw new BadQuestion("row", "a seat row from 1 to 999");
            }
        }
        return new Question(m.group(1).toUpperCase(Locale.ROOT) + "@" + m.group(2), c, r);
    }

    /** The answer, as the JSON the API returns. */
    public ObjectNode answer(Question q) {
        VehicleCases record = vehicles.apply(q.vehicleId());
        ObjectNode n = JsonResponses.MAPPER.createObjectNode();
        n.put("vehicleId", q.vehicleId());
        boolean positionGiven = q.carriage() != null || q.row() != null;
        if (record == null || record.cases().isEmpty()) {
            n.put("caseOnBoard", false);
            n.put("cases", "none known");
            n.putNull("closeToACase");
            n.put("sameVehicleRule", "none");
            n.put("advice", "No person who later became a case is known to have travelled on this vehicle.");
            return n;
        }
        Proximity best = Proximity.NONE;
        for (VehicleCases.CaseTrip c : record.cases()) {
            Proximity p = VehicleProximity.classify(
                    c.mode(), c.sealed(), c.carriage(), c.row(), q.carriage(), q.row(), record.flightRowWindow());
            if (p.ordinal() < best.ordinal()) {
                best = p;
            }
        }
        int count = record.cases().size();
        n.put("caseOnBoard", true);
        n.put("cases", count < COUNT_THRESHOLD ? "fewer than " + COUNT_THRESHOLD : COUNT_THRESHOLD + " or more");
        if (best == Proximity.CLOSE) {
            n.put("closeToACase", true);
        } else if (positionGiven && best == Proximity.REST) {
            n.put("closeToACase", false);
        } else {
            n.putNull("closeToACase");
        }
        n.put(
                "sameVehicleRule",
                switch (best) {
                    case CLOSE -> "close_contact";
                    case REST -> "rest_of_vehicle";
                    case NONE -> "none";
                });
        n.put(
                "advice",
                switch (best) {
                    case CLOSE ->
                        "You sat close to a case: you count as a close contact. Report to your community"
                                + " and get tested; your code follows when the trip reaches the engine.";
                    case REST ->
                        positionGiven
                                ? "A case travelled on this vehicle, not close to you. Watch your health and get tested."
                                : "A case travelled on this vehicle. Give your carriage or row to learn whether you sat"
                                        + " close.";
                    case NONE ->
                        "A case travelled on this vehicle; the same-vehicle rule does not apply to it"
                                + " (not a sealed train, flight or bus). Watch your health.";
                });
        return n;
    }
}
