package org.healthcode.risk.contacts;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
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
    public record OpenStay(
            String personId, long cell, long from, long to, String firstPingId, String lastPingId, int pings) {

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

    /** Flink type information: the hand-written serializer below ({@link CompactSerializer}). */
    public static final class Info extends TypeInfoFactory<PhoneState> {
        @Override
        public TypeInformation<PhoneState> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new SerializerTypeInfo<>(PhoneState.class, CompactSerializer::new);
        }
    }

    /**
     * The state format since the checkpoint-cost work (docs/contacts.md, "Checkpoints at city scale"): the phone
     * operator writes every changed phone back before every checkpoint, so in a replay nearly every phone's state is
     * written, flushed and compacted by RocksDB once per checkpoint, and its bytes count. Against {@link Serializer}
     * it leaves out what is implied or small: one header byte (open stay present; which binding's person the open
     * stay's person is, the usual case, so that id is not written twice); lengths and the binding count as varints
     * instead of 4-byte ints and a byte; the cell as two zigzag varints; the stay's end and ping count as varints
     * relative to its start. Ids that are ASCII go out without a copy. Same values back. State written with
     * {@link Serializer} is migrated on restore ({@link CompactSerializerSnapshot}).
     */
    public static final class CompactSerializer extends RecordSerializer<PhoneState> {
        private static final int HAS_OPEN = 1;
        /** Bits 1-3: 0 = the open stay's person is written out, k = it is the person of binding k - 1. */
        private static final int OPEN_PERSON_SHIFT = 1;

        private static final int OPEN_PERSON_MASK = 7;
        private static final int KNOWN_BITS = HAS_OPEN | (OPEN_PERSON_MASK << OPEN_PERSON_SHIFT);

        @Override
        public void serialize(PhoneState s, DataOutputView out) throws IOException {
            List<PhoneBinding> bindings = s.bindings();
            OpenStay o = s.open();
            int personFrom = 0;
            if (o != null && o.personId() != null) {
                // newest first: the binding in force is usually the last
                for (int i = Math.min(bindings.size(), OPEN_PERSON_MASK) - 1; i >= 0 && personFrom == 0; i--) {
                    if (o.personId().equals(bindings.get(i).personId())) {
                        personFrom = i + 1;
                    }
                }
            }
            out.writeByte((o != null ? HAS_OPEN : 0) | (personFrom << OPEN_PERSON_SHIFT));
            writeVarLong(bindings.size(), out);
            for (PhoneBinding b : bindings) {
                writeShortText(b.personId(), out);
                out.writeLong(b.since());
                writeShortText(b.eventId(), out);
            }
            if (o != null) {
                if (personFrom == 0) {
                    writeShortText(o.personId(), out);
                }
                writeVarLong(zigzag(o.cell() >> 32), out);
                writeVarLong(zigzag((int) o.cell()), out);
                out.writeLong(o.from());
                writeVarLong(zigzag(o.to() - o.from()), out);
                writeShortText(o.firstPingId(), out);
                writeShortText(o.lastPingId(), out);
                writeVarLong(zigzag(o.pings()), out);
            }
        }

        @Override
        public PhoneState deserialize(DataInputView in) throws IOException {
            int header = in.readUnsignedByte();
            int personFrom = (header >> OPEN_PERSON_SHIFT) & OPEN_PERSON_MASK;
            if ((header & ~KNOWN_BITS) != 0 || ((header & HAS_OPEN) == 0 && personFrom != 0)) {
                throw new IOException("phone state: unknown header " + header + " (not written by this serializer)");
            }
            long n = readVarLong(in);
            if (n < personFrom || n > MAX_BINDINGS * 16L) {
                throw new IOException("phone state: " + n + " bindings with header " + header + " is out of range");
            }
            List<PhoneBinding> bindings = new ArrayList<>((int) n);
            for (int i = 0; i < n; i++) {
                bindings.add(new PhoneBinding(readShortText(in), in.readLong(), readShortText(in)));
            }
            OpenStay o = null;
            if ((header & HAS_OPEN) != 0) {
                String person = personFrom != 0 ? bindings.get(personFrom - 1).personId() : readShortText(in);
                long i = unzigzag(readVarLong(in));
                long j = unzigzag(readVarLong(in));
                long from = in.readLong();
                long to = from + unzigzag(readVarLong(in));
                o = new OpenStay(
                        person, (i << 32) | (j & 0xffff_ffffL), from, to, readShortText(in), readShortText(in), (int)
                                unzigzag(readVarLong(in)));
            }
            return new PhoneState(bindings, o);
        }

        @Override
        public TypeSerializerSnapshot<PhoneState> snapshotConfiguration() {
            return new CompactSerializerSnapshot();
        }

        /**
         * A nullable string: 0 for null, else its UTF-8 length + 1 as a varint, then the bytes. ASCII (every id the
         * feeds carry) is written without a copy ({@link RecordSerializer#writeAscii}).
         */
        static void writeShortText(String s, DataOutputView out) throws IOException {
            if (s == null) {
                out.writeByte(0);
                return;
            }
            if (!RecordSerializer.isAscii(s)) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                writeVarLong(bytes.length + 1L, out);
                out.write(bytes);
                return;
            }
            writeVarLong(s.length() + 1L, out);
            RecordSerializer.writeAscii(s, out);
        }

        static String readShortText(DataInputView in) throws IOException {
            long n = readVarLong(in);
            if (n == 0) {
                return null;
            }
            if (n - 1 > Integer.MAX_VALUE) {
                throw new IOException("phone state: text length " + (n - 1) + " is out of range");
            }
            byte[] bytes = new byte[(int) (n - 1)];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** Unsigned LEB128: 7 bits a byte, low bits first. */
        static void writeVarLong(long v, DataOutputView out) throws IOException {
            while ((v & ~0x7fL) != 0) {
                out.writeByte((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.writeByte((int) v);
        }

        static long readVarLong(DataInputView in) throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("phone state: varint longer than 10 bytes");
        }

        static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }

        static long unzigzag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }
    }

    /**
     * Restores {@link CompactSerializer}; state written with {@link Serializer} (the earlier format) is compatible
     * after migration: Flink reads it with that serializer and writes it again with this one.
     */
    public static final class CompactSerializerSnapshot extends RecordSerializer.Snapshot<PhoneState> {
        public CompactSerializerSnapshot() {
            super(CompactSerializer::new);
        }

        @Override
        public TypeSerializerSchemaCompatibility<PhoneState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<PhoneState> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof SerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }

    /**
     * The earlier state format, field by field: the number of bindings and their fields, then a presence flag and
     * the fields of the open stay. Kept to read state written with it (see {@link CompactSerializerSnapshot}); new
     * state uses {@link CompactSerializer}.
     */
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
                bindings.add(
                        new PhoneBinding(RecordSerializer.readText(in), in.readLong(), RecordSerializer.readText(in)));
            }
            OpenStay o = in.readBoolean()
                    ? new OpenStay(
                            RecordSerializer.readText(in),
                            in.readLong(),
                            in.readLong(),
                            in.readLong(),
                            RecordSerializer.readText(in),
                            RecordSerializer.readText(in),
                            in.readInt())
                    : null;
            return new PhoneState(bindings, o);
        }

        @Override
        public TypeSerializerSnapshot<PhoneState> snapshotConfiguration() {
            return new SerializerSnapshot();
        }
    }

    /** Restores {@link Serializer} (the earlier format). */
    public static final class SerializerSnapshot extends RecordSerializer.Snapshot<PhoneState> {
        public SerializerSnapshot() {
            super(Serializer::new);
        }
    }
}
