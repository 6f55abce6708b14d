package org.healthcode.contracts.vehicles;

import java.util.Locale;

/**
 * The same-vehicle rule's notion of "close" (DESIGN §3): which passenger of a case's flight, train or bus is a close
 * contact, which is the rest of the vehicle, and for which modes the rule says nothing. The job's contact detection
 * and the serving process's fellow-traveller self-check both ask this one place, so the self-check gives the answer
 * the rule gives.
 */
public final class VehicleProximity {

    /** Where a passenger sat relative to a case, as the rule sees it. */
    public enum Proximity {
        /** Flight: within the row window; sealed train: the case's carriage; bus: anyone. */
        CLOSE,
        /** The rest of the flight or sealed train, or a row or carriage unknown. */
        REST,
        /** No rule for this mode (unsealed trains, ships, others). */
        NONE
    }

    private VehicleProximity() {}

    /**
     * The proximity of a passenger at {@code carriage}/{@code row} to a case that travelled at
     * {@code caseCarriage}/{@code caseRow} on a vehicle of {@code mode} ({@code sealed}: the case's trip said the
     * train was sealed); null positions are unknown.
     */
    public static Proximity classify(
            String mode,
            Boolean sealed,
            String caseCarriage,
            Integer caseRow,
            String carriage,
            Integer row,
            int flightRowWindow) {
        String m = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        switch (m) {
            case "flight":
                if (caseRow != null && row != null && Math.abs(caseRow - row) <= flightRowWindow) {
                    return Proximity.CLOSE;
                }
                return Proximity.REST;
            case "train":
                if (!Boolean.TRUE.equals(sealed)) {
                    return Proximity.NONE;
                }
                if (caseCarriage != null && caseCarriage.equals(carriage)) {
                    return Proximity.CLOSE;
                }
                return Proximity.REST;
            case "bus":
                return Proximity.CLOSE;
            default:
                return Proximity.NONE;
        }
    }
}
