package org.healthcode.risk.contacts;

import java.io.IOException;
import java.lang.reflect.Type;
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
 * the current identity binding and the open stay.
 *
 * @param binding the person the phone is bound to, or null before the first binding
 * @param open the stay the phone's pings currently extend, or null
 */
@TypeInfo(PhoneState.Info.class)
public record PhoneState(PhoneBinding binding, OpenStay open) {

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
        return binding == null && open == null;
    }

    /** Flink type information: the hand-written serializer below. */
    public static final class Info extends TypeInfoFactory<PhoneState> {
        @Override
        public TypeInformation<PhoneState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(PhoneState.class, Serializer::new);
        }
    }

    /** Field by field: a presence flag and the fields of the binding, then of the open stay. */
    public static final class Serializer extends RecordSerializer<PhoneState> {
        @Override
        public void serialize(PhoneState s, DataOutputView out) throws IOException {
            PhoneBinding b = s.binding();
            out.writeBoolean(b != null);
            if (b != null) {
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
            PhoneBinding b = in.readBoolean()
                    ? new PhoneBinding(RecordSerializer.readText(in), in.readLong(), RecordSerializer.readText(in))
                    : null;
            OpenStay o = in.readBoolean()
                    ? new OpenStay(RecordSerializer.readText(in), in.readLong(), in.readLong(), in.readLong(),
                            RecordSerializer.readText(in), RecordSerializer.readText(in), in.readInt())
                    : null;
            return new PhoneState(b, o);
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
