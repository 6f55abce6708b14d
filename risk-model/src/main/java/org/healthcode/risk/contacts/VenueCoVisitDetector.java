package org.healthcode.risk.contacts;

import java.util.List;

/**
 * Keyed by venue: a scan within {@code venueWindowMillis} (inclusive) of a case's scan at the same venue is a venue
 * co-visit; the case's scans count from its onset (or first positive sample) minus the infectious lead until it was
 * found, which {@link PersonContactIndex} has already checked when it made the case copy.
 */
public class VenueCoVisitDetector extends PlaceMatchDetector {

    public VenueCoVisitDetector(ContactRules rules) {
        super(rules);
    }

    @Override
    protected ActivityKind kind() {
        return ActivityKind.SCAN;
    }

    @Override
    protected Exposure match(String venue, PersonActivity caseScan, PersonActivity scan) {
        if (Math.abs(scan.from() - caseScan.from()) > rules.venueWindowMillis()) {
            return null;
        }
        return Exposure.of(
                scan.personId(),
                caseScan.personId(),
                ExposureKind.VENUE_CO_VISIT,
                Math.min(scan.from(), caseScan.from()),
                Math.max(scan.from(), caseScan.from()),
                venue,
                0L,
                caseScan.caseFound(),
                List.of(caseScan.caseCauseEventId(), caseScan.eventId(), scan.eventId()));
    }
}
