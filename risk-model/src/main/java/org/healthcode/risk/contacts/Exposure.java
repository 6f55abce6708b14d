package org.healthcode.risk.contacts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A person met a case: the output of contact detection and an input of the per-person risk state.
 *
 * <p>{@link #exposureId} is a pure function of (case, person, kind, where), so detecting the same exposure again
 * (late data, a replay, a restart) yields the same id and the risk state can ignore it.
 *
 * @param exposureId {@code exp-} and 32 hex digits of SHA-256 over case, person, kind and where
 * @param personId the exposed person's pseudonym (the key of the risk state)
 * @param caseId the case's person pseudonym
 * @param kind which rule found it
 * @param start start of the shared time (companion: the overlap of the two stays; venue: the earlier of the two
 *     scans; vehicle: the later of the two departures), epoch ms
 * @param end end of the shared time (vehicle: the earlier of the two arrivals, i.e. the last exposure), epoch ms
 * @param where {@code cell:<i>:<j>}, the venue id or the vehicle id
 * @param overlapMinutes companion: shared minutes in the cell (all overlapping stays, whole minutes); vehicle: the
 *     shared ride in minutes; venue: 0 (scans are instants)
 * @param caseFound when the case was found, epoch ms
 * @param causeEventIds the case's founding event, then the case's and the person's events that placed them together
 *     (first pings of the two stays, the two scans, the two trips)
 * @param withdrawn true when this revises an earlier exposure of the same id away: what contact detection knows now
 *     (the case found earlier, an onset that moved its window) no longer makes it a contact
 */
public record Exposure(
        String exposureId,
        String personId,
        String caseId,
        ExposureKind kind,
        long start,
        long end,
        String where,
        long overlapMinutes,
        long caseFound,
        List<String> causeEventIds,
        boolean withdrawn) {

    public static Exposure of(
            String personId,
            String caseId,
            ExposureKind kind,
            long start,
            long end,
            String where,
            long overlapMinutes,
            long caseFound,
            List<String> causeEventIds) {
        return new Exposure(
                idFor(caseId, personId, kind, where),
                personId,
                caseId,
                kind,
                start,
                end,
                where,
                overlapMinutes,
                caseFound,
                List.copyOf(causeEventIds),
                false);
    }

    /** This exposure revised away: the same id, withdrawn. */
    public Exposure withdrawal() {
        return new Exposure(
                exposureId, personId, caseId, kind, start, end, where, overlapMinutes, caseFound, causeEventIds, true);
    }

    /** When it takes effect in event time: the later of the case being found and the end of the shared time. */
    public long effectiveTime() {
        return Math.max(caseFound, end);
    }

    /**
     * The order in which one of several candidate exposures of a (case, person) is chosen, the first winning: the
     * earliest effect, then kind (close before rest), the earliest end and start, then the ids; a total order on
     * what the person side reads, so the choice does not depend on the order the candidates were found in.
     */
    public static final java.util.Comparator<Exposure> CHOICE = java.util.Comparator.comparingLong(
                    Exposure::effectiveTime)
            .thenComparing(Exposure::kind)
            .thenComparingLong(Exposure::end)
            .thenComparingLong(Exposure::start)
            .thenComparing(Exposure::exposureId)
            .thenComparing(x -> String.join("\u0000", x.causeEventIds()))
            .thenComparingLong(Exposure::overlapMinutes);

    /** The deterministic exposure id; fields are separated by a byte that never occurs in pseudonyms or ids. */
    public static String idFor(String caseId, String personId, ExposureKind kind, String where) {
        String material = caseId + '\u0000' + personId + '\u0000' + kind.wireName() + '\u0000' + where;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return "exp-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
