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
    OVERRIDES;

    /** Topic and JSON name, e.g. {@code health}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Feed> fromWire(String name) {
        for (Feed f : values()) {
            if (f.wireName().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
