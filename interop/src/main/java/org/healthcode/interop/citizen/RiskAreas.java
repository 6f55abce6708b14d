package org.healthcode.interop.citizen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.healthcode.contracts.areas.RiskAreaListing;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.http.JsonResponses;

/**
 * Risk areas now (the high and medium listings in force, from the listings the job applies) and, for a person, which
 * of their stays overlap one: the stays behind their {@code high_risk_area} / {@code medium_risk_area} conditions,
 * each cause {@code area-<stay event>/<listing>} joined with its listing. What the person sees is what the job
 * decided, never a second computation of it; the stays named are the person's own events, already in their status.
 */
public final class RiskAreas {
    private static final Comparator<RiskAreaListing> ORDER = Comparator.comparing(
                    (RiskAreaListing l) -> "high".equals(l.level()) ? 0 : 1)
            .thenComparing(RiskAreaListing::areaCode)
            .thenComparingLong(RiskAreaListing::fromMs)
            .thenComparing(RiskAreaListing::listingId);

    private final Supplier<List<RiskAreaListing>> listings;
    private final Function<String, RiskAreaListing> listing;

    public RiskAreas(Supplier<List<RiskAreaListing>> listings, Function<String, RiskAreaListing> listing) {
        this.listings = listings;
        this.listing = listing;
    }

    /** The high and medium listings in force at {@code atMs}, high first, then by area code. */
    public ObjectNode now(long atMs) {
        ObjectNode n = JsonResponses.MAPPER.createObjectNode();
        n.put("at", IsoTimes.format(atMs));
        ArrayNode areas = n.putArray("areas");
        inForce(atMs).forEach(l -> areas.add(l.toNode()));
        return n;
    }

    private List<RiskAreaListing> inForce(long atMs) {
        List<RiskAreaListing> in = new ArrayList<>();
        for (RiskAreaListing l : listings.get()) {
            if (l.inForceAt(atMs)) {
                in.add(l);
            }
        }
        in.sort(ORDER);
        return in;
    }

    /** The person's stays that overlap a high or medium listing, as their status's conditions say. */
    public ObjectNode ofPerson(StatusRecord status, long atMs) {
        ObjectNode n = now(atMs);
        n.put("personId", status.getPersonId());
        ArrayNode stays = n.putArray("yourStays");
        for (ConditionRecord c : status.getConditionsList()) {
            if (!c.getReason().equals("high_risk_area") && !c.getReason().equals("medium_risk_area")) {
                continue;
            }
            for (String cause : c.getCauseList()) {
                if (!cause.startsWith("area-")) {
                    continue;
                }
                RiskAreaListing l = null;
                String stay = null;
                // event ids may hold '/': take the split whose right part is a known listing
                for (int i = cause.lastIndexOf('/'); i > 5 && l == null; i = cause.lastIndexOf('/', i - 1)) {
                    l = listing.apply(cause.substring(i + 1));
                    stay = cause.substring(5, i);
                }
                if (l == null) {
                    continue; // a listing not (yet) read: nothing to name
                }
                ObjectNode s = stays.addObject();
                s.put("stay", stay);
                s.put("reason", c.getReason());
                s.put("areaCode", l.areaCode());
                s.put("level", l.level());
                s.put("listedFrom", IsoTimes.format(l.fromMs()));
                if (l.toMs() != null) {
                    s.put("listedTo", IsoTimes.format(l.toMs()));
                } else {
                    s.putNull("listedTo");
                }
                s.put("listedNow", l.inForceAt(atMs));
            }
        }
        return n;
    }
}
