package org.healthcode.ingest.events;

import java.util.Locale;
import java.util.Optional;

/** The event types of DESIGN §5, each with the feed it belongs to and its wire name. */
public enum EventType {
    TEST_RESULT(Feed.HEALTH),
    DIAGNOSIS(Feed.HEALTH),
    FEVER_CLINIC_VISIT(Feed.HEALTH),
    QUARANTINE(Feed.HEALTH),
    VACCINATION(Feed.HEALTH),
    IDENTITY(Feed.POLICE),
    CONTACT_DESIGNATION(Feed.POLICE),
    HOTEL_CHECKIN(Feed.POLICE),
    BORDER_ENTRY(Feed.POLICE),
    TRIP(Feed.TRANSPORT),
    PING(Feed.CARRIER),
    CITY_STAY(Feed.CARRIER),
    SCAN(Feed.VENUE),
    RISK_AREA(Feed.REFERENCE),
    TEST_CAMPAIGN(Feed.REFERENCE),
    OVERRIDE_REQUEST(Feed.OVERRIDES),
    OVERRIDE_APPROVAL(Feed.OVERRIDES),
    OVERRIDE_REFUSAL(Feed.OVERRIDES),
    OVERRIDE_WITHDRAWAL(Feed.OVERRIDES),
    RISK_PERSON(Feed.INTEROP),
    HEALTH_DECLARATION(Feed.DECLARATIONS),
    ITINERARY_DECLARATION(Feed.DECLARATIONS);

    private final Feed feed;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    EventType(Feed feed) {
        this.feed = feed;
    }

    public Feed feed() {
        return feed;
    }

    /** The name used in JSON lines and on the wire, e.g. {@code test_result}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWire(String name) {
        return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
    }

    /** Every value by its wire name (looked up once per decoded record). */
    private static final java.util.Map<String, EventType> BY_WIRE_NAME = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(EventType::wireName, v -> v));
}
