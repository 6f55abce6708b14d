package org.healthcode.risk.contacts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Every window, distance and setting contact detection uses, with the defaults of DESIGN §3, so a rule-set file can
 * carry them. Durations are milliseconds of event time.
 *
 * @param cellSizeMeters side of a square grid cell in the projection (800 m)
 * @param originLat latitude of the fixed projection origin, WGS 84 degrees (see {@link GridProjection})
 * @param originLon longitude of the fixed projection origin, WGS 84 degrees
 * @param stayGapMillis a gap longer than this between two pings of one phone ends a stay (30 min)
 * @param companionMinOverlapMillis companions must share a cell for strictly longer than this (10 min)
 * @param lookBackMillis companions are looked for this far before the case was found (14 d); also how long stays,
 *     scans and trips are kept for late matches
 * @param longStayMillis the long-stay clause: a phone's total in the cell must be strictly longer than this (30 h)
 * @param longStayClause AND (default), OR or OFF
 * @param venueWindowMillis a scan within this of a case's scan at the same venue, inclusive (30 min)
 * @param infectiousLeadMillis venue and vehicle contacts count from this long before the case's onset, or its first
 *     positive sample when no onset is known, until the case was found (4 d)
 * @param flightRowWindow on a flight, rows this close to the case's row (inclusive) are close contacts (3)
 */
public record ContactRules(
        double cellSizeMeters,
        double originLat,
        double originLon,
        long stayGapMillis,
        long companionMinOverlapMillis,
        long lookBackMillis,
        long longStayMillis,
        LongStayClause longStayClause,
        long venueWindowMillis,
        long infectiousLeadMillis,
        int flightRowWindow)
        implements Serializable {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** The defaults of DESIGN §3; the projection origin is Guangzhou's Tianhe district (23.13 N, 113.32 E). */
    public static ContactRules defaults() {
        return new ContactRules(
                800.0,
                23.13,
                113.32,
                30 * MINUTE,
                10 * MINUTE,
                14 * DAY,
                30 * HOUR,
                LongStayClause.AND,
                30 * MINUTE,
                4 * DAY,
                3);
    }

    public ContactRules withLongStayClause(LongStayClause clause) {
        return new ContactRules(
                cellSizeMeters,
                originLat,
                originLon,
                stayGapMillis,
                companionMinOverlapMillis,
                lookBackMillis,
                longStayMillis,
                clause,
                venueWindowMillis,
                infectiousLeadMillis,
                flightRowWindow);
    }

    public ContactRules withCellSizeMeters(double meters) {
        return new ContactRules(
                meters,
                originLat,
                originLon,
                stayGapMillis,
                companionMinOverlapMillis,
                lookBackMillis,
                longStayMillis,
                longStayClause,
                venueWindowMillis,
                infectiousLeadMillis,
                flightRowWindow);
    }

    /** Every problem with these rules at once, each naming its field; empty when they are usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (!(cellSizeMeters >= 10.0 && cellSizeMeters <= 100_000.0)) {
            p.add("cellSizeMeters must be between 10 and 100000, was " + cellSizeMeters);
        }
        if (!(originLat > -80.0 && originLat < 80.0)) {
            p.add("originLat must be between -80 and 80 (the projection degenerates near the poles), was " + originLat);
        }
        if (!(originLon >= -180.0 && originLon <= 180.0)) {
            p.add("originLon must be between -180 and 180, was " + originLon);
        }
        positive(p, "stayGapMillis", stayGapMillis);
        nonNegative(p, "companionMinOverlapMillis", companionMinOverlapMillis);
        positive(p, "lookBackMillis", lookBackMillis);
        nonNegative(p, "longStayMillis", longStayMillis);
        if (longStayClause == null) {
            p.add("longStayClause must be AND, OR or OFF, was null");
        }
        nonNegative(p, "venueWindowMillis", venueWindowMillis);
        nonNegative(p, "infectiousLeadMillis", infectiousLeadMillis);
        if (flightRowWindow < 0) {
            p.add("flightRowWindow must be >= 0, was " + flightRowWindow);
        }
        return p;
    }

    /** Throws with every problem listed when the rules are unusable. */
    public ContactRules validated() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("invalid contact rules: " + String.join("; ", p));
        }
        return this;
    }

    private static void positive(List<String> p, String field, long v) {
        if (v <= 0) {
            p.add(field + " must be > 0, was " + v);
        }
    }

    private static void nonNegative(List<String> p, String field, long v) {
        if (v < 0) {
            p.add(field + " must be >= 0, was " + v);
        }
    }
}
