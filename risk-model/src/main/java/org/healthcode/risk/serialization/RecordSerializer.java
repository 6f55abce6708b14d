package org.healthcode.risk.serialization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A hand-written serializer for an immutable record on a hot path (the contacts operators' records, and the feed
 * record every event crosses the network as), where Flink's POJO serializer (reflection, one null flag per field) was
 * a visible share of the profile. Subclasses write the fields in a fixed order; for a type kept in state (the contacts
 * types), a change of that order or of the fields needs a new serializer class, since the class name is the format's
 * version.
 */
public abstract class RecordSerializer<T> extends TypeSerializerSingleton<T> {

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from;
    }

    @Override
    public T copy(T from, T reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /**
     * A nullable string as its length and UTF-8 bytes (Flink's StringValue writes a variable-length char at a time,
     * a visible cost on the ping path where every record carries ids). An ASCII string (every id the feeds carry) is
     * its own UTF-8 and goes out without the copy {@code getBytes} makes, which was the largest source of garbage in a
     * JFR allocation profile of the contacts benchmark; same bytes either way.
     */
    public static void writeText(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        if (!isAscii(s)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
            return;
        }
        out.writeInt(s.length());
        writeAscii(s, out);
    }

    /** Whether every char of {@code s} is ASCII, i.e. its UTF-8 bytes are its chars. */
    public static boolean isAscii(String s) {
        int n = s.length();
        for (int k = 0; k < n; k++) {
            if (s.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The chars of an ASCII string as bytes, eight to a {@code writeLong} (big-endian, so in order), then the rest one
     * by one: no copy ({@code getBytes} allocates one per string, the largest source of garbage in a JFR allocation
     * profile of the contacts benchmark), and an eighth of the calls of a byte-by-byte loop, which showed in profiles
     * of the checkpoint path. Not {@code DataOutputSerializer.writeBytes(String)}: in Flink 2.2.1 it advances its
     * position twice.
     */
    public static void writeAscii(String s, DataOutputView out) throws IOException {
        int n = s.length();
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            long word = 0;
            for (int j = 0; j < 8; j++) {
                word = (word << 8) | s.charAt(k + j);
            }
            out.writeLong(word);
        }
        for (; k < n; k++) {
            out.writeByte(s.charAt(k));
        }
    }

    /** Writes one record's fields to a {@link DataOutputView}. */
    @FunctionalInterface
    public interface FieldWriter<T> {
        void write(T value, DataOutputView out) throws IOException;
    }

    private static final int STAGING_KEPT_BYTES = 1 << 16;
    private static final ThreadLocal<DataOutputSerializer> STAGING =
            ThreadLocal.withInitial(() -> new DataOutputSerializer(256));

    /**
     * Writes {@code value} with {@code fields}, the same bytes either way: straight into {@code out} when it is an
     * in-memory buffer (the network, RocksDB values), else first into a per-thread buffer and then in one write.
     * A checkpoint stream (operator list state, heap snapshots) costs several calls through stream wrappers per
     * field written; records buffered in operator state are written at every checkpoint (the phone side's pings:
     * 2% of the job's samples at 100 k persons with 1 s checkpoints). For a record with no nested record that
     * stages too (the buffer is one per thread).
     */
    public static <T> void writeStaged(T value, DataOutputView out, FieldWriter<T> fields) throws IOException {
        if (out instanceof DataOutputSerializer) {
            fields.write(value, out);
            return;
        }
        DataOutputSerializer staging = STAGING.get();
        staging.clear();
        fields.write(value, staging);
        out.write(staging.getSharedBuffer(), 0, staging.length());
        if (staging.getSharedBuffer().length > STAGING_KEPT_BYTES) {
            STAGING.remove();
        }
    }

    public static String readText(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The snapshot of a serializer without configuration: restoring it creates the same serializer again. */
    public abstract static class Snapshot<T> extends SimpleTypeSerializerSnapshot<T> {
        protected Snapshot(java.util.function.Supplier<? extends TypeSerializer<T>> serializer) {
            super(serializer);
        }
    }

    @Override
    public abstract TypeSerializerSnapshot<T> snapshotConfiguration();
}
