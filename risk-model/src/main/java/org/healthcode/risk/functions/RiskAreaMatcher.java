package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.contracts.areas.RiskAreaListing;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.AreaStay;
import org.healthcode.risk.events.PersonInput;

/**
 * Keyed by person, with the risk-area list as broadcast state: finds the person's stays (hotel check-ins, trip
 * arrivals, carrier city stays given their person by {@link CityStayOwner}, areas the person declared they passed
 * through) that overlap a period when their area was listed high or medium, whichever arrives first: a stay is
 * matched against the listings known, and a new listing against every kept stay (so a listing published after the
 * stay still counts). A listing covers a stay when the stay's GB/T 2260 code lies under it (440100 covers 440106; a
 * city-level stay 440100 is not covered by a district listing 440106: coarse data never makes red).
 *
 * <p>State end of life: a stay is kept until {@link #STAY_RETENTION_MS} after it ended (event-time timer); a listing
 * published later than that no longer reaches it. Listings stay in broadcast state (small: one entry per listing).
 */
public class RiskAreaMatcher extends KeyedBroadcastProcessFunction<String, Event, Event, PersonInput> {
    /** 14 days. */
    public static final long STAY_RETENTION_MS = 14L * 24 * 3_600_000L;

    public static final MapStateDescriptor<String, Event> LISTINGS =
            new MapStateDescriptor<>("risk-areas", Types.STRING, TypeInformation.of(Event.class));
    private static final MapStateDescriptor<String, Event> STAYS =
            new MapStateDescriptor<>("stays", Types.STRING, TypeInformation.of(Event.class));

    private transient MapState<String, Event> stays;

    @Override
    public void open(OpenContext openContext) {
        stays = getRuntimeContext().getMapState(STAYS);
    }

    @Override
    public void processElement(Event stay, ReadOnlyContext ctx, Collector<PersonInput> out) throws Exception {
        if (stayArea(stay) == null) {
            return;
        }
        for (Map.Entry<String, Event> listing : ctx.getBroadcastState(LISTINGS).immutableEntries()) {
            match(stay, listing.getValue(), out);
        }
        stays.put(stay.eventId(), stay);
        ctx.timerService().registerEventTimeTimer(stayEnd(stay) + STAY_RETENTION_MS);
    }

    @Override
    public void processBroadcastElement(Event listing, Context ctx, Collector<PersonInput> out) throws Exception {
        if (listing.areaCode() == null || listing.level() == null || listing.from() == null) {
            return;
        }
        ctx.getBroadcastState(LISTINGS).put(listing.eventId(), listing);
        ctx.applyToKeyedState(STAYS, (person, personStays) -> {
            for (Map.Entry<String, Event> stay : personStays.entries()) {
                match(stay.getValue(), listing, out);
            }
        });
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PersonInput> out) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Event> e : stays.entries()) {
            if (stayEnd(e.getValue()) + STAY_RETENTION_MS <= timestamp) {
                expired.add(e.getKey());
            }
        }
        for (String id : expired) {
            stays.remove(id);
        }
        Iterator<String> left = stays.keys().iterator();
        if (!left.hasNext()) {
            stays.clear();
        }
    }

    private static void match(Event stay, Event listing, Collector<PersonInput> out) {
        String level = listing.level();
        if (!"high".equals(level) && !"medium".equals(level)) {
            return;
        }
        if (!covers(listing.areaCode(), stayArea(stay))) {
            return;
        }
        if (!RiskAreaListing.overlaps(listing.from(), listing.to(), stayStart(stay), stayEnd(stay))) {
            return;
        }
        out.collect(PersonInput.of(new AreaStay(
                AreaStay.ID_PREFIX + stay.eventId() + "/" + listing.eventId(),
                stay.personId(),
                level,
                stay.eventId(),
                listing.eventId(),
                stayEnd(stay),
                Math.max(stay.time(), listing.time()))));
    }

    /** True when {@code listed} covers {@code stay}: a code ending in zeros covers the codes under it. */
    public static boolean covers(String listed, String stay) {
        return RiskAreaListing.covers(listed, stay);
    }

    private static String stayArea(Event e) {
        if (e.type() == EventType.HOTEL_CHECKIN
                || e.type() == EventType.CITY_STAY
                || e.type() == EventType.ITINERARY_DECLARATION) {
            return e.areaCode();
        }
        if (e.type() == EventType.TRIP && e.arrival() != null) {
            return e.toArea();
        }
        return null;
    }

    private static long stayStart(Event e) {
        if (e.type() == EventType.CITY_STAY || e.type() == EventType.ITINERARY_DECLARATION) {
            return e.from();
        }
        return e.type() == EventType.TRIP ? e.arrival() : e.time();
    }

    /** Check-out, or the check-in itself when none is known; a trip is a stay at its arrival; a city stay ends at its {@code to}. */
    private static long stayEnd(Event e) {
        if (e.type() == EventType.TRIP) {
            return e.arrival();
        }
        if (e.type() == EventType.CITY_STAY || e.type() == EventType.ITINERARY_DECLARATION) {
            return e.to();
        }
        return e.checkOut() != null ? Math.max(e.checkOut(), e.time()) : e.time();
    }
}
