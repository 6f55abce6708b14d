package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;

/** Keeps the events that concern one person (carrier and reference events are keyed otherwise). */
public class HasPerson implements FilterFunction<Event> {
    @Override
    public boolean filter(Event e) {
        return e.personId() != null && !e.personId().isEmpty();
    }
}
