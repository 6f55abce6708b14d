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
 * Consecutive pings of one phone in one grid cell, attributed to the person the phone was bound to at the time.
 *
 * @param msisdn the phone's pseudonym
 * @param personId the person bound to the phone when the stay began (a re-binding ends the stay)
 * @param cell {@code cell:<i>:<j>}
 * @param from time of the first ping, epoch ms
 * @param to time of the last ping, epoch ms
 * @param firstPingId event id of the first ping
 * @param lastPingId event id of the last ping
 * @param pings number of distinct pings in the stay
 */
@TypeInfo(Stay.Info.class)
public record Stay(
        String msisdn,
        String personId,
        String cell,
        long from,
        long to,
        String firstPingId,
        String lastPingId,
        int pings) {

    /** Flink type information: the hand-written serializer below. */
    public static final class Info extends TypeInfoFactory<Stay> {
        @Override
        public TypeInformation<Stay> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(Stay.class, Serializer::new);
        }
    }

    /** Field by field, in declaration order. */
    public static final class Serializer extends RecordSerializer<Stay> {
        @Override
        public void serialize(Stay s, DataOutputView out) throws IOException {
            writeText(s.msisdn(), out);
            writeText(s.personId(), out);
            writeText(s.cell(), out);
            out.writeLong(s.from());
            out.writeLong(s.to());
            writeText(s.firstPingId(), out);
            writeText(s.lastPingId(), out);
            out.writeInt(s.pings());
        }

        @Override
        public Stay deserialize(DataInputView in) throws IOException {
            return new Stay(
                    readText(in),
                    readText(in),
                    readText(in),
                    in.readLong(),
                    in.readLong(),
                    readText(in),
                    readText(in),
                    in.readInt());
        }

        @Override
        public TypeSerializerSnapshot<Stay> snapshotConfiguration() {
            return new SerializerSnapshot();
        }
    }

    /** Restores {@link Serializer}. */
    public static final class SerializerSnapshot extends RecordSerializer.Snapshot<Stay> {
        public SerializerSnapshot() {
            super(Serializer::new);
        }
    }
}
