package org.healthcode.risk.contacts;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.healthcode.risk.serialization.RecordSerializer;
import org.healthcode.risk.serialization.SerializerTypeInfo;

/**
 * Everything {@link PhoneStayBuilder} keeps per phone, in one state entry so a phone costs one read and one write:
 * the phone's identity bindings still needed and the open stay.
 *
 * <p>Bindings are a short history, in (since, event id) order: the one in force at the phone side's watermark (the
 * carrier feed's event time), then any that take effect later. Bindings arrive on the police feed, in another
 * event-time domain than the pings: they are recorded as they come, and a ping takes the binding in force at its own
 * time when it is applied, so a binding never waits for the carrier watermark (a region without a carrier feed
 * would otherwise hold every binding in the waiting buffer) and a day-late carrier feed still finds the binding of
 * the day. At most {@link #MAX_BINDINGS} are kept (the oldest goes first).
 *
 * @param bindings the bindings still needed, oldest first; empty before the first binding
 * @param open the stay the phone's pings currently extend, or null
 */
@TypeInfo(PhoneState.Info.class)
public record PhoneState(List<PhoneBinding> bindings, OpenStay open) {

    /** Bindings kept per phone at most; re-bindings are rare, a longer run means identity data is being replayed. */
    public static final int MAX_BINDINGS = 4;

    /** No binding, no open stay. */
    public static final PhoneState EMPTY = new PhoneState(List.of(), null);

    public PhoneState {
        bindings = List.copyOf(bindings);
    }

    /** The binding in force at {@code t}: the last one (by since, then event id) with since at or before it, or null. */
    public PhoneBinding bindingAt(long t) {
        PhoneBinding found = null;
        for (PhoneBinding b : bindings) {
            if (b.since() > t) {
                break;
            }
            found = b;
        }
        return found;
    }

    /** With {@code b} added in order (a binding already held, same event id, is not added twice). */
    public PhoneState withBinding(PhoneBinding b) {
        List<PhoneBinding> list = new ArrayList<>(bindings.size() + 1);
        boolean added = false;
        for (PhoneBinding x : bindings) {
            if (x.eventId().equals(b.eventId()) && x.since() == b.since()) {
                return this;
            }
            if (!added && BINDING_ORDER.compare(b, x) < 0) {
                list.add(b);
                added = true;
            }
            list.add(x);
        }
        if (!added) {
            list.add(b);
        }
        while (list.size() > MAX_BINDINGS) {
            list.remove(0);
        }
        return new PhoneState(list, open);
    }

    /** Without the bindings that can no longer be in force for a ping at or after {@code t}. */
    public PhoneState withoutBindingsBefore(long t) {
        int keepFrom = 0;
        for (int i = 0; i < bindings.size() && bindings.get(i).since() <= t; i++) {
            keepFrom = i;
        }
        return keepFrom == 0 ? this : new PhoneState(bindings.subList(keepFrom, bindings.size()), open);
    }

    /** The same bindings with another open stay. */
    public PhoneState withOpen(OpenStay o) {
        return o == open ? this : new PhoneState(bindings, o);
    }

    /** (since, event id): of two bindings at one millisecond the larger event id is the later. */
    static final java.util.Comparator<PhoneBinding> BINDING_ORDER =
            java.util.Comparator.comparingLong(PhoneBinding::since).thenComparing(PhoneBinding::eventId);

    /**
     * Consecutive pings of the phone in one cell, not yet ended.
     *
     * @param personId the person bound when the stay began
     * @param cell packed cell ({@link GridProjection#cellKey})
     * @param from first ping, epoch ms
     * @param to last ping, epoch ms
     * @param firstPingId event id of the first ping
     * @param lastPingId event id of the last ping
     * @param pings distinct pings so far
     */
    public record OpenStay(String personId, long cell, long from, long to, String firstPingId, String lastPingId,
            int pings) {

        OpenStay extendedTo(long t, String pingId) {
            return new OpenStay(personId, cell, from, t, firstPingId, pingId, pings + 1);
        }

        Stay toStay(String msisdn) {
            return new Stay(msisdn, personId, GridProjection.cellId(cell), from, to, firstPingId, lastPingId, pings);
        }
    }

    boolean isEmpty() {
        return bindings.isEmpty() && open == null;
    }

    /** Flink type information: the hand-written serializer below. */
    public static final class Info extends TypeInfoFactory<PhoneState> {
        @Override
        public TypeInformation<PhoneState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(PhoneState.class, Serializer::new);
        }
    }

    /** Field by field: the number of bindings and their fields, then a presence flag and the fields of the open stay. */
    public static final class Serializer extends RecordSerializer<PhoneState> {
        @Override
        public void serialize(PhoneState s, DataOutputView out) throws IOException {
            out.writeByte(s.bindings().size());
            for (PhoneBinding b : s.bindings()) {
                RecordSerializer.writeText(b.personId(), out);
                out.writeLong(b.since());
                RecordSerializer.writeText(b.eventId(), out);
            }
            OpenStay o = s.open();
            out.writeBoolean(o != null);
            if (o != null) {
                RecordSerializer.writeText(o.personId(), out);
                out.writeLong(o.cell());
                out.writeLong(o.from());
                out.writeLong(o.to());
                RecordSerializer.writeText(o.firstPingId(), out);
                RecordSerializer.writeText(o.lastPingId(), out);
                out.writeInt(o.pings());
            }
        }

        @Override
        public PhoneState deserialize(DataInputView in) throws IOException {
            int n = in.readByte();
            List<PhoneBinding> bindings = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bindings.add(new PhoneBinding(RecordSerializer.readText(in), in.readLong(), RecordSerializer.readText(in)));
            }
            OpenStay o = in.readBoolean()
                    ? new OpenStay(RecordSerializer.readText(in), in.readLong(), in.readLong(), in.readLong(),
                            RecordSerializer.readText(in), RecordSerializer.readText(in), in.readInt())
                    : null;
            return new PhoneState(bindings, o);
        }

        @Override
        public TypeSerializerSnapshot<PhoneState> snapshotConfiguration() {
            return new SerializerSnapshot();
        }
    }

    /** Restores {@link Serializer}. */
    public static final class SerializerSnapshot extends RecordSerializer.Snapshot<PhoneState> {
        public SerializerSnapshot() {
            super(Serializer::new);
        }
    }
}
