package org.healthcode.ingest.decode;

import org.healthcode.ingest.events.Event;

/** The outcome of decoding one record: exactly one of {@code event} (validated, pseudonymised) or {@code rejected}. */
public record Decoded(Event event, Rejected rejected) {
    public static Decoded ok(Event event) {
        return new Decoded(event, null);
    }

    public static Decoded rejected(Rejected rejected) {
        return new Decoded(null, rejected);
    }

    public boolean isOk() {
        return event != null;
    }
}
