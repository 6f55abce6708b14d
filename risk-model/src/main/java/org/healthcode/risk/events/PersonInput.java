package org.healthcode.risk.events;

import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.Exposure;

/**
 * One input of the per-person risk state: a feed event about the person, or an exposure found by contact detection.
 * Exactly one of the two is set.
 */
public record PersonInput(Event event, Exposure exposure) {

    public static PersonInput of(Event e) {
        return new PersonInput(e, null);
    }

    public static PersonInput of(Exposure x) {
        return new PersonInput(null, x);
    }

    public String personId() {
        return event != null ? event.personId() : exposure.personId();
    }

    /** Unique id: the eventId, or the deterministic exposureId. */
    public String id() {
        return event != null ? event.eventId() : exposure.exposureId();
    }

    /**
     * When it takes effect in event time. An exposure counts from when it could first be known: the later of the
     * case being found and the end of the shared time (late carrier data then counts the same as timely data).
     */
    public long time() {
        return event != null ? event.time() : Math.max(exposure.caseFound(), exposure.end());
    }
}
