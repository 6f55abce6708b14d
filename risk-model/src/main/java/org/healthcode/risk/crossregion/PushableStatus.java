package org.healthcode.risk.crossregion;

/**
 * What {@link ExchangeTrigger} keeps of a person's current status while it is worth pushing (red or yellow for a
 * reason of this region, with a national pseudonym).
 *
 * @param nationalId the person's national pseudonym
 * @param colour red or yellow
 * @param reasonCategory category of the condition that gives the colour
 * @param sinceMs since when the person has had the colour
 * @param effectiveMs event time of the status
 */
public record PushableStatus(String nationalId, String colour, String reasonCategory, long sinceMs, long effectiveMs) {}
