package org.healthcode.risk.functions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.serialization.CompactText;
import org.healthcode.risk.serialization.RecordSerializer;
import org.healthcode.risk.serialization.SerializerTypeInfo;

/**
 * A key's latest identity bindings (value state {@code binding-history}, in (time, eventId) order), to ask whom a
 * phone was bound to, or where a person was bound, at an instant: the latest binding at or before it. Each is kept as
 * a {@link Binding} (time, event id, person, household area), about 50 bytes, not the whole identity event (about
 * 160 as a Flink POJO): every person and every phone keeps one for as long as they are bound. A key whose bindings a
 * job wrote as events (state {@code bindings}) moves them to the compact form the first time it is read. State end of
 * life: at most {@code max} bindings are kept, the oldest goes first.
 */
public final class BindingHistory {
    private static final Comparator<Binding> IN_ORDER =
            Comparator.comparingLong(Binding::time).thenComparing(Binding::eventId);

    private final ValueState<List<Binding>> bindings;
    private final ValueState<List<Event>> asEvents;
    private final int max;

    private BindingHistory(ValueState<List<Binding>> bindings, ValueState<List<Event>> asEvents, int max) {
        this.bindings = bindings;
        this.asEvents = asEvents;
        this.max = max;
    }

    /** The history of a keyed function, in its {@code open}, keeping the latest {@code max} bindings. */
    public static BindingHistory open(RuntimeContext context, int max) {
        return new BindingHistory(
                context.getState(new ValueStateDescriptor<>("binding-history", Types.LIST(Binding.TYPE))),
                context.getState(new ValueStateDescriptor<>("bindings", Types.LIST(TypeInformation.of(Event.class)))),
                max);
    }

    /** One identity binding as the history keeps it. */
    public record Binding(long time, String eventId, String personId, String areaCode) {
        static final TypeInformation<Binding> TYPE = new SerializerTypeInfo<>(Binding.class, Serializer::new);

        static Binding of(Event e) {
            return new Binding(e.time(), e.eventId(), e.personId(), e.areaCode());
        }

        /** Time, then the ids with {@link CompactText} (a pseudonym in 16 bytes). */
        public static final class Serializer extends RecordSerializer<Binding> {
            @Override
            public void serialize(Binding b, DataOutputView out) throws IOException {
                out.writeLong(b.time());
                CompactText.writeId(b.eventId(), out);
                CompactText.writeId(b.personId(), out);
                CompactText.writeId(b.areaCode(), out);
            }

            @Override
            public Binding deserialize(DataInputView in) throws IOException {
                return new Binding(
                        in.readLong(), CompactText.readId(in), CompactText.readId(in), CompactText.readId(in));
            }

            @Override
            public TypeSerializerSnapshot<Binding> snapshotConfiguration() {
                return new SerializerSnapshot();
            }
        }

        /** Restores {@link Serializer}. */
        public static final class SerializerSnapshot extends RecordSerializer.Snapshot<Binding> {
            public SerializerSnapshot() {
                super(Serializer::new);
            }
        }
    }

    /** Adds an identity binding, in time order; the oldest goes when more than {@code max} are kept. */
    public void add(Event binding) throws Exception {
        List<Binding> kept = kept();
        List<Binding> list = kept == null ? new ArrayList<>() : new ArrayList<>(kept);
        list.add(Binding.of(binding));
        list.sort(IN_ORDER);
        while (list.size() > max) {
            list.remove(0);
        }
        bindings.update(list);
    }

    /** The binding in force at {@code t}: the latest at or before it, or null. */
    public Binding at(long t) throws Exception {
        List<Binding> list = kept();
        Binding current = null;
        if (list != null) {
            for (Binding b : list) {
                if (b.time() <= t) {
                    current = b;
                }
            }
        }
        return current;
    }

    /** The key's bindings; those a job kept as events are moved to the compact state on the way. */
    private List<Binding> kept() throws Exception {
        List<Binding> list = bindings.value();
        if (list != null) {
            return list;
        }
        List<Event> events = asEvents.value();
        if (events == null) {
            return null;
        }
        List<Binding> moved = events.stream().map(Binding::of).toList();
        bindings.update(moved);
        asEvents.clear();
        return moved;
    }
}
