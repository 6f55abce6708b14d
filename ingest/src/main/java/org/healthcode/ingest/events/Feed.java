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
    INTEROP;

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
