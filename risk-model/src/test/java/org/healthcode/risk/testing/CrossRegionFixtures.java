package org.healthcode.risk.testing;

import java.time.Instant;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/** Fixtures of the cross-region exchange: two regions, national pseudonyms, pushed records. */
public final class CrossRegionFixtures {
    /** Guangdong: the region that pushes. */
    public static final String GUANGDONG = "440000";
    /** Shanghai: the region the traveller is in. */
    public static final String SHANGHAI = "310000";
    /** Zhejiang: a third region. */
    public static final String ZHEJIANG = "330000";

    public static final String ALICE_NATIONAL = "nat-alice";

    private CrossRegionFixtures() {}

    /** Alice's identity binding in this region, carrying her national pseudonym as ingest computes it. */
    public static Event nationalIdentity(String person, String nationalId, String areaCode, Instant at) {
        return Event.builder("identity:" + person + "@" + at, EventType.IDENTITY, at.toEpochMilli(), areaCode)
                .personId(person)
                .msisdn("phone-" + person)
                .areaCode(areaCode)
                .nationalId(nationalId)
                .build();
    }

    /** A record another region pushed, as the exchange inbox wrote it (no person here yet: the matcher adds it). */
    public static Event riskPerson(
            String fromRegion,
            String nationalId,
            String colour,
            String category,
            Instant since,
            Instant expiry,
            Instant received) {
        return Event.builder(
                        "xr-" + fromRegion + "-" + colour + "@" + received,
                        EventType.RISK_PERSON,
                        received.toEpochMilli(),
                        fromRegion)
                .nationalId(nationalId)
                .colour(colour)
                .reasonCategory(category)
                .from(since.toEpochMilli())
                .expiry(expiry == null ? null : expiry.toEpochMilli())
                .build();
    }

    /** The same record once matched to {@code person} (what the person's risk state receives). */
    public static Event riskPersonFor(
            String person, String fromRegion, String colour, Instant since, Instant expiry, Instant received) {
        return riskPerson(fromRegion, "nat-" + person, colour, "infection", since, expiry, received).toBuilder()
                .personId(person)
                .build();
    }
}
