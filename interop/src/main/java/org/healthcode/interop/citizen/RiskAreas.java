package org.healthcode.interop.citizen;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.healthcode.contracts.areas.RiskAreaListing;
import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.http.JsonResponses;

/**
 * Risk areas now (the high and medium listings in force, from the listings the job applies) and, for a person, which
 * of their recent stays overlap one. Two sources, marked apart by {@code counted}: the stays behind the person's
 * {@code high_risk_area} / {@code medium_risk_area} conditions (each cause {@code area-<stay event>/<listing>} joined
 * with its listing: what the job decided, {@code counted: true}), and the areas the person declared they passed
 * through in the last {@link DeclaredStays#RECENT} that overlap a listing but are behind no condition now (the
 * condition ended, or the job has not taken the declaration in yet: {@code counted: false}), matched by the job's own
 * rule ({@link RiskAreaListing#matchesStay}). Carrier city stays, hotel check-ins and trips are the job's to join to
 * the person (a city stay arrives keyed by phone number), so only those behind a condition are known here.
 */
public final class RiskAreas {
    private static final Comparator<RiskAreaListing> ORDER = Comparator.comparing(
                    (RiskAreaListing l) -> "high".equals(l.level()) ? 0 : 1)
            .thenComparing(RiskAreaListing::areaCode)
            .thenComparingLong(RiskAreaListing::fromMs)
            .thenComparing(RiskAreaListing::listingId);

    private final Supplier<List<RiskAreaListing>> listings;
    private final Function<String, RiskAreaListing> listing;

    private final BiFunction<String, Long, List<DeclaredStays.Stop>> declared;

    /** Without declared stays: only the stays behind the person's conditions. */
    public RiskAreas(Supplier<List<RiskAreaListing>> listings, Function<String, RiskAreaListing> listing) {
        this(listings, listing, (person, at) -> List.of());
    }

    /** @param declared a person's declared stops that ended at most {@link DeclaredStays#RECENT} before a time */
    public RiskAreas(
            Supplier<List<RiskAreaListing>> listings,
            Function<String, RiskAreaListing> listing,
            BiFunction<String, Long, List<DeclaredStays.Stop>> declared) {
        this.listings = listings;
        this.listing = listing;
        this.declared = declared;
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

    /**
     * The person's stays that overlap a high or medium listing: those behind their status's conditions, then their
     * recent declared stops that overlap one and are behind none.
     */
    public ObjectNode ofPerson(StatusRecord status, long atMs) {
        ObjectNode n = now(atMs);
        n.put("personId", status.getPersonId());
        ArrayNode stays = n.putArray("yourStays");
        Set<String> named = new HashSet<>();
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
                named.add(stay + "/" + l.listingId());
                stay(stays.addObject(), stay, c.getReason(), l, atMs, true);
            }
        }
        List<RiskAreaListing> all = new ArrayList<>(listings.get());
        all.sort(ORDER);
        for (DeclaredStays.Stop d : declared.apply(status.getPersonId(), atMs)) {
            for (RiskAreaListing l : all) {
                if (l.matchesStay(d.areaCode(), d.fromMs(), d.toMs()) && named.add(d.stayId() + "/" + l.listingId())) {
                    stay(stays.addObject(), d.stayId(), l.level() + "_risk_area", l, atMs, false);
                }
            }
        }
        return n;
    }

    private static void stay(ObjectNode s, String stay, String reason, RiskAreaListing l, long atMs, boolean counted) {
        s.put("stay", stay);
        s.put("reason", reason);
        s.put("areaCode", l.areaCode());
        s.put("level", l.level());
        s.put("listedFrom", IsoTimes.format(l.fromMs()));
        if (l.toMs() != null) {
            s.put("listedTo", IsoTimes.format(l.toMs()));
        } else {
            s.putNull("listedTo");
        }
        s.put("listedNow", l.inForceAt(atMs));
        s.put("declared", DeclarationIds.isDeclaration(stay));
        s.put("counted", counted);
    }
}
