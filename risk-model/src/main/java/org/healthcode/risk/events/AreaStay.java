package org.healthcode.risk.events;

/**
 * A person's stay that overlapped a period when its area was listed as a risk area: found by {@code RiskAreaMatcher},
 * an input of the per-person risk state.
 *
 * @param id {@code area-} + the stay's event id + {@code /} + the listing's event id (the same whichever came first)
 * @param personId the person
 * @param level {@code high} or {@code medium}
 * @param stayEventId the hotel check-in or trip that placed the person there
 * @param listingEventId the risk-area listing
 * @param stayEndMs when the stay ended (7 d from here, by default)
 * @param knownAtMs when the overlap could first be known: the later of the stay's and the listing's event times
 */
public record AreaStay(
        String id,
        String personId,
        String level,
        String stayEventId,
        String listingEventId,
        long stayEndMs,
        long knownAtMs) {
    /** What every id starts with, before the stay's event id. */
    public static final String ID_PREFIX = "area-";
}
