package org.healthcode.risk.events;

import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.Exposure;

/**
 * One input of the per-person risk state: a feed event about the person, an exposure found by contact detection,
 * a stay in a listed risk area, a reviewed override taking effect or ending, or a missed mandatory test. Exactly one
 * is set.
 */
public record PersonInput(
        Event event, Exposure exposure, AreaStay areaStay, OverrideDecision override, MissedTest missedTest) {

    public static PersonInput of(Event e) {
        return new PersonInput(e, null, null, null, null);
    }

    public static PersonInput of(Exposure x) {
        return new PersonInput(null, x, null, null, null);
    }

    public static PersonInput of(AreaStay a) {
        return new PersonInput(null, null, a, null, null);
    }

    public static PersonInput of(OverrideDecision o) {
        return new PersonInput(null, null, null, o, null);
    }

    public static PersonInput of(MissedTest m) {
        return new PersonInput(null, null, null, null, m);
    }

    public String personId() {
        if (missedTest != null) {
            return missedTest.personId();
        }
        if (override != null) {
            return override.personId();
        }
        return event != null ? event.personId() : exposure != null ? exposure.personId() : areaStay.personId();
    }

    /** Unique id: the eventId, the deterministic exposureId, the area-stay id or the override decision id. */
    public String id() {
        if (missedTest != null) {
            return missedTest.id();
        }
        if (override != null) {
            return override.id();
        }
        return event != null ? event.eventId() : exposure != null ? exposure.exposureId() : areaStay.id();
    }

    /**
     * When it takes effect in event time. An exposure counts from when it could first be known: the later of the
     * case being found and the end of the shared time (late carrier data then counts the same as timely data).
     */
    public long time() {
        if (missedTest != null) {
            return missedTest.intervalEndMs();
        }
        if (override != null) {
            return override.timeMs();
        }
        if (event != null) {
            return event.time();
        }
        return exposure != null ? exposure.effectiveTime() : areaStay.knownAtMs();
    }
}
