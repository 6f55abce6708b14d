package org.healthcode.interop.federation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import org.healthcode.contracts.status.StatusJson;
import org.healthcode.ingest.proto.StatusRecord;

/**
 * What a checkpoint or another region sees of a status: {@code {"personId","colour","since","validUntil",
 * "issuingRegion"}}, where {@code personId} is the id exactly as the caller asked (a national pseudonym for another
 * region, so this region's person ids never leave it) and {@code validUntil} is how long the answer may be relied on
 * before asking again. No reasons, no events, no rule version, no raw identifiers.
 */
public final class FederatedStatus {
    /** Region 440000, answers valid for 5 minutes (used when nothing else is configured). */
    public static final FederatedStatus DEFAULT =
            new FederatedStatus("440000", Duration.ofMinutes(5), Clock.systemUTC());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String region;
    private final Duration validity;
    private final Clock clock;

    public FederatedStatus(String region, Duration validity, Clock clock) {
        this.region = region;
        this.validity = validity;
        this.clock = clock;
    }

    public ObjectNode render(String askedId, StatusRecord s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("personId", askedId);
        n.put("colour", s.getColour());
        n.put("since", StatusJson.iso(s.getSinceMs()));
        n.put(
                "validUntil",
                clock.instant()
                        .plus(validity)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString());
        n.put("issuingRegion", region);
        return n;
    }
}
