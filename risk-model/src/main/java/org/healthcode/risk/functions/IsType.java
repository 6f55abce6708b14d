package org.healthcode.risk.functions;

import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/** Keeps the events of the given types (or, with {@link #allBut}, every other type). */
public class IsType implements FilterFunction<Event> {
    private final Set<EventType> types;
    private final boolean keep;

    public IsType(EventType... types) {
        this(true, types);
    }

    private IsType(boolean keep, EventType... types) {
        this.types = Set.of(types);
        this.keep = keep;
    }

    /** Keeps the events of every type but these. */
    public static IsType allBut(EventType... types) {
        return new IsType(false, types);
    }

    @Override
    public boolean filter(Event e) {
        return types.contains(e.type()) == keep;
    }
}
