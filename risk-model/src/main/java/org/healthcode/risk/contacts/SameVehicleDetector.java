package org.healthcode.risk.contacts;

import java.util.List;
import org.healthcode.contracts.vehicles.VehicleProximity;

/**
 * Keyed by vehicle (flight or train number with date, bus id): passengers who rode together with a case.
 *
 * <p>Flight: rows within {@code flightRowWindow} of the case's row are close contacts, the rest of the flight (and
 * anyone whose or whose case's row is unknown) is {@code same_vehicle_rest}. Sealed train: the case's carriage is
 * close, the rest of the train (or an unknown carriage) is rest. Bus: everyone is close. Unsealed trains, ships and
 * other modes: DESIGN §3 has no rule, so no exposure. The two trips must share part of the ride (a passenger who got
 * off before the case boarded met no one); the exposure ends with the shared ride, which is the last exposure.
 */
public class SameVehicleDetector extends PlaceMatchDetector {

    public SameVehicleDetector(ContactRules rules) {
        super(rules);
    }

    @Override
    protected ActivityKind kind() {
        return ActivityKind.TRIP;
    }

    @Override
    protected Exposure match(String vehicle, PersonActivity caseTrip, PersonActivity trip) {
        long start = Math.max(caseTrip.from(), trip.from());
        long end = Math.min(caseTrip.to(), trip.to());
        if (end <= start) {
            return null;
        }
        ExposureKind kind = classify(caseTrip, trip);
        if (kind == null) {
            return null;
        }
        return Exposure.of(
                trip.personId(),
                caseTrip.personId(),
                kind,
                start,
                end,
                vehicle,
                (end - start) / 60_000L,
                caseTrip.caseFound(),
                List.of(caseTrip.caseCauseEventId(), caseTrip.eventId(), trip.eventId()));
    }

    /** Close, rest, or null (no rule for this mode): the rule of {@link VehicleProximity}. */
    ExposureKind classify(PersonActivity caseTrip, PersonActivity trip) {
        return switch (VehicleProximity.classify(
                caseTrip.mode(),
                caseTrip.sealed(),
                caseTrip.carriage(),
                caseTrip.row(),
                trip.carriage(),
                trip.row(),
                rules.flightRowWindow())) {
            case CLOSE -> ExposureKind.SAME_VEHICLE_CLOSE;
            case REST -> ExposureKind.SAME_VEHICLE_REST;
            case NONE -> null;
        };
    }
}
