package org.healthcode.ingest.events;

import java.util.Locale;
import java.util.Optional;

/** The source feeds of DESIGN §2; each has a Kafka topic of the same name. */
public enum Feed {
    HEALTH,
    POLICE,
    TRANSPORT,
    CARRIER,
    VENUE,
    REFERENCE,
    /** Reviewed manual overrides: requests, approvals, refusals, withdrawals (docs/events.md). */
    OVERRIDES,
    /** Risk persons pushed by other regions (区域协查), written by the serving process's exchange inbox (docs/interop.md). */
    INTEROP,
    /** A person's own health and itinerary declarations, written by the serving process's declaration API. */
    DECLARATIONS;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** Topic and JSON name, e.g. {@code health}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<Feed> fromWire(String name) {
        return Optional.ofNullable(name == null ? null : BY_WIRE_NAME.get(name));
    }

    /** Every value by its wire name (looked up once per decoded record). */
    private static final java.util.Map<String, Feed> BY_WIRE_NAME = java.util.Arrays.stream(values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Feed::wireName, v -> v));
}
