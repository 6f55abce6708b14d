package org.healthcode.risk.crossregion;

/**
 * A risk person this region asks its serving process to push to another region (区域协查): the minimal record of
 * docs/interop.md, nothing that names the person here or says why. Written to {@code exchange-out} as the notice
 * JSON the serving process's exchange pusher delivers ({@link ExchangeRequestJson}).
 *
 * @param fromRegion this region
 * @param toRegion the region the person is in (from the region directory)
 * @param nationalId the person's national pseudonym
 * @param colour red or yellow; green withdraws what was pushed before
 * @param reasonCategory infection, contact, risk_area or other
 * @param sinceMs since when the person has had the colour here, event time
 * @param expiryMs when the record lapses in the other region unless renewed, event time
 */
public record ExchangeRequest(
        String fromRegion,
        String toRegion,
        String nationalId,
        String colour,
        String reasonCategory,
        long sinceMs,
        long expiryMs) {}
