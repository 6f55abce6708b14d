package org.healthcode.ingest.declarations;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.HealthDeclaration;
import org.healthcode.ingest.proto.ItineraryDeclaration;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;

/**
 * Makes the events of a person's own declarations for the {@code declarations} topic (the serving process's side)
 * and checks each one exactly as the job's decoder will: a declaration the job would reject is refused to the app
 * instead, with the same field and reason. Every value is taken as the app sent it (times as their ISO-8601 text),
 * and the event id is derived ({@link DeclarationIds}): the same declaration sent twice is the same event, byte for
 * byte, whichever serving replica writes it and however often.
 */
public final class DeclarationEvents {
    private final String region;
    /**
     * Checks with the job's own validation path. Declarations name their person by pseudonym only, so the decoder's
     * pseudonymiser is never used: a throwaway key stands in for the region secret, which the serving process does
     * not hold.
     */
    private final StandardEventDecoder decoder;

    /** @param region this region's GB/T 2260 code, stamped on every event (null: none) */
    public DeclarationEvents(String region) {
        this.region = region;
        byte[] throwaway = new byte[RegionSecret.MIN_BYTES];
        new SecureRandom().nextBytes(throwaway);
        this.decoder = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(throwaway)));
    }

    /** One area of an itinerary, as the app sent it. */
    public record Stop(String areaCode, String from, String to) {}

    /** A health declaration at {@code time} (ISO-8601 with offset, as declared). */
    public Event health(String time, String personId, String declarationId, List<String> symptoms, Double temperature) {
        HealthDeclaration.Builder body =
                HealthDeclaration.newBuilder().setDeclarationId(declarationId).addAllSymptoms(symptoms);
        if (temperature != null) {
            body.setTemperature(temperature);
        }
        return common(DeclarationIds.health(personId, declarationId), EventType.HEALTH_DECLARATION, time, personId)
                .setHealthDeclaration(body)
                .build();
    }

    /** An itinerary declaration at {@code time}: one event per stop, in the order given. */
    public List<Event> itinerary(String time, String personId, String declarationId, List<Stop> stops) {
        List<Event> out = new ArrayList<>(stops.size());
        for (int i = 0; i < stops.size(); i++) {
            Stop s = stops.get(i);
            out.add(common(
                            DeclarationIds.itinerary(personId, declarationId, i),
                            EventType.ITINERARY_DECLARATION,
                            time,
                            personId)
                    .setItineraryDeclaration(ItineraryDeclaration.newBuilder()
                            .setDeclarationId(declarationId)
                            .setStop(i)
                            .setAreaCode(nonNull(s.areaCode()))
                            .setFrom(nonNull(s.from()))
                            .setTo(nonNull(s.to())))
                    .build());
        }
        return out;
    }

    /** Why the job would reject {@code event} (category, field, reason), or null when it accepts it. */
    public Rejected problem(Event event) {
        Decoded d = decoder.decodeProto(event.toByteArray(), Feed.DECLARATIONS.wireName(), 0, 0);
        return d.isOk() ? null : d.rejected();
    }

    private Event.Builder common(String eventId, EventType type, String time, String personId) {
        Event.Builder b = Event.newBuilder()
                .setFeed(Feed.DECLARATIONS.wireName())
                .setType(type.wireName())
                .setEventId(eventId)
                .setTime(nonNull(time))
                .setPersonId(personId);
        if (region != null) {
            b.setRegion(region);
        }
        return b;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
