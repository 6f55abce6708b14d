package org.healthcode.risk.contacts;

/**
 * Where a person was, routed to the place-keyed detectors; when {@link #caseFound} is set, the copy of a case's own
 * activity that lies inside the case's window, so the detector matches others against it.
 *
 * <p>Flat on purpose (like the ingest {@code Event}): one POJO for the three kinds, fields that do not apply are null.
 *
 * @param kind stay, scan or trip
 * @param personId whose activity it is
 * @param place the detector key: the cell, the venue id or the vehicle id
 * @param msisdn stay: the phone
 * @param from stay: first ping; scan: scan time; trip: departure (epoch ms)
 * @param to stay: last ping; scan: scan time; trip: arrival (epoch ms)
 * @param eventId stay: first ping id; scan or trip: its event id
 * @param mode trip: flight, train, bus, ship
 * @param sealed trip: sealed train
 * @param carriage trip: carriage, optional
 * @param row trip: seat row, optional
 * @param caseFound case copies only: when the case was found
 * @param caseWindowStart case copies only: start of the window this kind is matched in (stays: found - look-back;
 *     scans and trips: onset or first positive - infectious lead)
 * @param caseCauseEventId case copies only: the event that made the person a case
 */
public record PersonActivity(
        ActivityKind kind,
        String personId,
        String place,
        String msisdn,
        long from,
        long to,
        String eventId,
        String mode,
        Boolean sealed,
        String carriage,
        Integer row,
        Long caseFound,
        Long caseWindowStart,
        String caseCauseEventId) {

    public boolean isCaseCopy() {
        return caseFound != null;
    }

    /** This activity marked as the case's, matched within [windowStart, found]. */
    public PersonActivity asCaseCopy(CaseFound c, long windowStart) {
        return new PersonActivity(kind, personId, place, msisdn, from, to, eventId, mode, sealed, carriage, row,
                c.foundTime(), windowStart, c.causeEventId());
    }

    /** A key unique per activity of a person, stable across duplicates. */
    public String activityKey() {
        return switch (kind) {
            case STAY -> "s|" + msisdn + "|" + from;
            case SCAN, TRIP -> (kind == ActivityKind.SCAN ? "v|" : "t|") + eventId;
        };
    }
}
