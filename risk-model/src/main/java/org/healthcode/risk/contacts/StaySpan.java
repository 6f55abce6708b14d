package org.healthcode.risk.contacts;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.healthcode.risk.serialization.CompactText;
import org.healthcode.risk.serialization.RecordSerializer;
import org.healthcode.risk.serialization.SerializerTypeInfo;

/** One stay as a grid cell remembers it: whose, which phone, from when to when, and its first ping. */
public record StaySpan(String personId, String msisdn, long from, long to, String firstPingId) {

    /** Milliseconds of this span inside [windowStart, windowEnd], zero when outside. */
    public long lengthWithin(long windowStart, long windowEnd) {
        return Math.max(0L, Math.min(to, windowEnd) - Math.max(from, windowStart));
    }

    /** The compact serializer below, for the cell's {@code stays} (one entry per stay of the look-back window). */
    public static TypeInformation<StaySpan> compactType() {
        return new SerializerTypeInfo<>(StaySpan.class, CompactSerializer::new);
    }

    /** Pseudonyms as 16 bytes, the length as a variable-length number: about 60 bytes instead of 82 (POJO). */
    public static final class CompactSerializer extends RecordSerializer<StaySpan> {
        @Override
        public void serialize(StaySpan s, DataOutputView out) throws IOException {
            CompactText.writeId(s.personId(), out);
            CompactText.writeId(s.msisdn(), out);
            out.writeLong(s.from());
            CompactText.writeSignedVarLong(s.to() - s.from(), out);
            CompactText.writeId(s.firstPingId(), out);
        }

        @Override
        public StaySpan deserialize(DataInputView in) throws IOException {
            String personId = CompactText.readId(in);
            String msisdn = CompactText.readId(in);
            long from = in.readLong();
            long to = from + CompactText.readSignedVarLong(in);
            return new StaySpan(personId, msisdn, from, to, CompactText.readId(in));
        }

        @Override
        public TypeSerializerSnapshot<StaySpan> snapshotConfiguration() {
            return new CompactSerializerSnapshot();
        }
    }

    /** Restores {@link CompactSerializer}. */
    public static final class CompactSerializerSnapshot extends RecordSerializer.Snapshot<StaySpan> {
        public CompactSerializerSnapshot() {
            super(CompactSerializer::new);
        }
    }
}
