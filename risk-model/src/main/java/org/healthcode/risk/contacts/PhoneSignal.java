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
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.serialization.RecordSerializer;
import org.healthcode.risk.serialization.SerializerTypeInfo;

/**
 * What the phone side needs of a carrier ping or an identity binding, projected before the shuffle by phone: the
 * feed event has 47 fields; this has six, and the ping's cell is already computed (packed, see
 * {@link GridProjection#cellKey}).
 *
 * @param binding true for an identity binding (phone -> person from {@code time}), false for a ping
 * @param msisdn the phone's pseudonym (the key)
 * @param time event time, epoch ms
 * @param cell pings: the packed grid cell; bindings: 0
 * @param eventId the feed event's id
 * @param personId bindings: the person the phone is bound to; pings: null
 */
@TypeInfo(PhoneSignal.Info.class)
public record PhoneSignal(boolean binding, String msisdn, long time, long cell, String eventId, String personId) {

    /** The phone-side view of a feed event; null for events the phone side does not use. */
    public static PhoneSignal of(Event e, GridProjection grid) {
        if (e.msisdn() == null) {
            return null;
        }
        if (e.type() == EventType.PING && e.lat() != null && e.lon() != null) {
            return ping(e.msisdn(), e.time(), grid.cellKey(e.lat(), e.lon()), e.eventId());
        }
        if (e.type() == EventType.IDENTITY && e.personId() != null) {
            return bind(e.msisdn(), e.time(), e.personId(), e.eventId());
        }
        return null;
    }

    public static PhoneSignal ping(String msisdn, long time, long cell, String eventId) {
        return new PhoneSignal(false, msisdn, time, cell, eventId, null);
    }

    public static PhoneSignal bind(String msisdn, long time, String personId, String eventId) {
        return new PhoneSignal(true, msisdn, time, 0L, eventId, personId);
    }

    /** The text id of the ping's cell, {@code cell:<i>:<j>}. */
    public String cellId() {
        return GridProjection.cellId(cell);
    }

    /** Flink type information: the hand-written serializer below. */
    public static final class Info extends TypeInfoFactory<PhoneSignal> {
        @Override
        public TypeInformation<PhoneSignal> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(PhoneSignal.class, Serializer::new);
        }
    }

    /** Field by field, no reflection: flag, msisdn, time, cell, event id, person id. */
    public static final class Serializer extends RecordSerializer<PhoneSignal> {
        @Override
        public void serialize(PhoneSignal s, DataOutputView out) throws IOException {
            // staged: the phone side keeps its buffered pings in operator state, written at every checkpoint
            RecordSerializer.writeStaged(s, out, Serializer::writeFields);
        }

        private static void writeFields(PhoneSignal s, DataOutputView out) throws IOException {
            out.writeBoolean(s.binding());
            RecordSerializer.writeText(s.msisdn(), out);
            out.writeLong(s.time());
            out.writeLong(s.cell());
            RecordSerializer.writeText(s.eventId(), out);
            RecordSerializer.writeText(s.personId(), out);
        }

        @Override
        public PhoneSignal deserialize(DataInputView in) throws IOException {
            return new PhoneSignal(
                    in.readBoolean(),
                    RecordSerializer.readText(in),
                    in.readLong(),
                    in.readLong(),
                    RecordSerializer.readText(in),
                    RecordSerializer.readText(in));
        }

        @Override
        public TypeSerializerSnapshot<PhoneSignal> snapshotConfiguration() {
            return new SerializerSnapshot();
        }
    }

    /** Restores {@link Serializer}. */
    public static final class SerializerSnapshot extends RecordSerializer.Snapshot<PhoneSignal> {
        public SerializerSnapshot() {
            super(Serializer::new);
        }
    }
}
