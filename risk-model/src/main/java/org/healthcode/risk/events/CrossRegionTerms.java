package org.healthcode.risk.events;

/**
 * What another region pushed about a person (区域协查), as the per-person state keeps it on a
 * {@code cross_region_risk} condition: nothing but what the notice carries, never that region's reasons.
 *
 * @param fromRegion the issuing region (GB/T 2260 code); one condition per issuing region, its latest record decides
 * @param colour red or yellow, as the issuing region says
 * @param reasonCategory infection, contact, risk_area or other
 * @param sinceMs since when the person has had that colour there, event time
 * @param expiryMs when the record lapses by itself, event time
 */
public record CrossRegionTerms(String fromRegion, String colour, String reasonCategory, long sinceMs, long expiryMs) {}
