package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.healthcode.ingest.events.Event;

/**
 * A key's latest identity bindings (value state {@code bindings}, in (time, eventId) order), to ask whom a phone was
 * bound to, or where a person was bound, at an instant: the latest binding at or before it. State end of life: at
 * most {@code max} bindings are kept, the oldest goes first.
 */
public final class BindingHistory {
    private static final Comparator<Event> IN_ORDER =
            Comparator.comparingLong(Event::time).thenComparing(Event::eventId);

    private final ValueState<List<Event>> bindings;
    private final int max;

    private BindingHistory(ValueState<List<Event>> bindings, int max) {
        this.bindings = bindings;
        this.max = max;
    }

    /** The history of a keyed function, in its {@code open}, keeping the latest {@code max} bindings. */
    public static BindingHistory open(RuntimeContext context, int max) {
        return new BindingHistory(
                context.getState(new ValueStateDescriptor<>("bindings", Types.LIST(TypeInformation.of(Event.class)))),
                max);
    }

    /** Adds an identity binding, in time order; the oldest goes when more than {@code max} are kept. */
    public void add(Event binding) throws Exception {
        List<Event> list = bindings.value() == null ? new ArrayList<>() : new ArrayList<>(bindings.value());
        list.add(binding);
        list.sort(IN_ORDER);
        while (list.size() > max) {
            list.remove(0);
        }
        bindings.update(list);
    }

    /** The binding in force at {@code t}: the latest at or before it, or null. */
    public Event at(long t) throws Exception {
        List<Event> list = bindings.value();
        Event current = null;
        if (list != null) {
            for (Event b : list) {
                if (b.time() <= t) {
                    current = b;
                }
            }
        }
        return current;
    }
}
