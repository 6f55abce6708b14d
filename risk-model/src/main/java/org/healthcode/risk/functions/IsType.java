package org.healthcode.risk.functions;

import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/** Keeps the events of the given types. */
public class IsType implements FilterFunction<Event> {
    private final Set<EventType> types;

    public IsType(EventType... types) {
        this.types = Set.of(types);
    }

    @Override
    public boolean filter(Event e) {
        return types.contains(e.type());
    }
}
