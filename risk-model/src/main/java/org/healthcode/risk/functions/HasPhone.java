package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;

/** Keeps the events that name a phone (identity bindings, carrier events). */
public class HasPhone implements FilterFunction<Event> {
    @Override
    public boolean filter(Event e) {
        return e.msisdn() != null && !e.msisdn().isEmpty();
    }
}
