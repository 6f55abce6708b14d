package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/** Keeps the events the phone side needs: carrier pings with a position and identity bindings with a phone. */
public class PhoneEventFilter implements FilterFunction<Event> {

    @Override
    public boolean filter(Event e) {
        if (e.msisdn() == null) {
            return false;
        }
        return (e.type() == EventType.PING && e.lat() != null && e.lon() != null)
                || (e.type() == EventType.IDENTITY && e.personId() != null);
    }
}
