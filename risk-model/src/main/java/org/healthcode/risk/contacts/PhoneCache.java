package org.healthcode.risk.contacts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * The phone side's write-behind cache of {@link PhoneState}s over keyed state: a phone is read once, and written back
 * before a checkpoint barrier once it has not changed for {@code quietBarriers} barriers (and at the end); until then
 * checkpoints carry it in raw keyed state, a sequential write per key group (docs/contacts.md, "Phones that keep
 * changing stay out of RocksDB"). When more than {@code capacity} phones are cached at a barrier, they are written
 * back and the cache is emptied.
 *
 * <p>On restore, keyed state holds the phones as of the last write-back and the raw keyed state those changed since
 * (by key group, so both follow their key groups when the job is rescaled); the changed ones are cached again and
 * written back at the first barrier unless they change first.
 */
final class PhoneCache {
    /**
     * First int of each key group of the operator's raw keyed state (the changed phones not yet written back), naming
     * its layout, version 1 ("PHS1"). Flink's time service writes its own layout there when timers are on the heap of
     * a RocksDB backend; that starts with a small version number, and the phone side has no timers to restore.
     */
    private static final int UNSAVED_LAYOUT = 0x50485331;

    private final ValueState<PhoneState> state;
    /** Sets the keyed state backend's current key (the phone) before {@link #state} is read or written. */
    private final Consumer<String> setKey;

    private final int capacity;
    private final int quietBarriers;
    private final HashMap<String, PhoneEntry> phones = new HashMap<>();
    /** The phones changed since they were last written back to keyed state (their {@code dirty} flag is set). */
    private final ArrayList<PhoneEntry> dirtyPhones = new ArrayList<>();

    private int cached;

    PhoneCache(ValueState<PhoneState> state, Consumer<String> setKey, int capacity, int quietBarriers) {
        this.state = state;
        this.setKey = setKey;
        this.capacity = capacity;
        this.quietBarriers = quietBarriers;
    }

    /** The phone's heap entry, made if there is none (its state is not read: see {@link #load}). */
    PhoneEntry entry(String msisdn) {
        return phones.computeIfAbsent(msisdn, PhoneEntry::new);
    }

    /** The phone, its state read from keyed state unless cached. */
    PhoneEntry load(String msisdn) throws Exception {
        PhoneEntry p = entry(msisdn);
        if (!p.cached) {
            setKey.accept(msisdn);
            p.state = state.value();
            p.cached = true;
            cached++;
        }
        return p;
    }

    /** Records the phone's new state (written back later). */
    void set(PhoneEntry p, PhoneState st) {
        if (st != p.state) {
            p.state = st;
            p.quiet = 0;
            if (!p.dirty) {
                p.dirty = true;
                dirtyPhones.add(p);
            }
        }
    }

    private void writeBack(PhoneEntry p) throws Exception {
        if (!p.dirty) {
            return;
        }
        setKey.accept(p.msisdn);
        if (p.state == null || p.state.isEmpty()) {
            state.clear();
        } else {
            state.update(p.state);
        }
        p.dirty = false;
    }

    /**
     * Writes every changed phone to keyed state; above the capacity, empties the cache too. Only the phones changed
     * since the last barrier are visited (they are listed as they change): with a checkpoint every second and a cache
     * of a million phones, walking the whole cache at every barrier would cost more than a quiet second's writes.
     */
    void writeBackAll() throws Exception {
        for (PhoneEntry p : dirtyPhones) {
            writeBack(p);
        }
        dirtyPhones.clear();
        if (cached <= capacity) {
            return;
        }
        Iterator<PhoneEntry> it = phones.values().iterator();
        while (it.hasNext()) {
            PhoneEntry p = it.next();
            if (p.cached) {
                p.state = null;
                p.cached = false;
                cached--;
            }
            if (p.onlyCached()) {
                it.remove();
            }
        }
    }

    /**
     * Before a barrier: writes back the changed phones that have not changed again for {@code quietBarriers}
     * barriers; {@link #writeUnsaved} carries the others. A phone that pings at every checkpoint (a replay, a day of
     * carrier data arriving at once) is serialized once per checkpoint instead of being put, flushed and compacted by
     * RocksDB each time, and a phone that pings once in a while is written back once, a barrier later. Everything is
     * written back when {@code all} is set or the cache is over its capacity (it is emptied then).
     */
    void beforeBarrier(boolean all) throws Exception {
        if (all || quietBarriers == 0 || cached > capacity) {
            writeBackAll();
            return;
        }
        int kept = 0;
        int size = dirtyPhones.size();
        for (int i = 0; i < size; i++) {
            PhoneEntry p = dirtyPhones.get(i);
            if (p.quiet >= quietBarriers) {
                writeBack(p);
            } else {
                p.quiet++;
                dirtyPhones.set(kept++, p);
            }
        }
        dirtyPhones.subList(kept, size).clear();
    }

    /** Whether changed phones are still to be written back (then a checkpoint carries them: {@link #writeUnsaved}). */
    boolean hasUnsaved() {
        return !dirtyPhones.isEmpty();
    }

    /**
     * The changed phones not yet written back, as raw keyed state: per key group (ascending), the layout
     * ({@link #UNSAVED_LAYOUT}), the count, then per phone its msisdn, whether it has a state, and the state in the
     * compact format. One sequential write instead of a RocksDB put, flush and compaction per phone: a phone that
     * changes at every checkpoint costs a few dozen bytes of each checkpoint, not a put each time.
     */
    void writeUnsaved(KeyedStateCheckpointOutputStream out, int maxParallelism) throws IOException {
        int n = dirtyPhones.size();
        long[] order = new long[n]; // key group, then the index in dirtyPhones
        for (int k = 0; k < n; k++) {
            PhoneEntry p = dirtyPhones.get(k);
            if (p.keyGroup < 0) {
                p.keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(p.msisdn, maxParallelism);
            }
            order[k] = ((long) p.keyGroup << 32) | k;
        }
        Arrays.sort(order);
        PhoneState.CompactSerializer serializer = new PhoneState.CompactSerializer();
        DataOutputSerializer buf = new DataOutputSerializer(64 * 1024);
        int i = 0;
        while (i < n) {
            int group = (int) (order[i] >>> 32);
            int j = i;
            while (j < n && (int) (order[j] >>> 32) == group) {
                j++;
            }
            out.startNewKeyGroup(group);
            buf.writeInt(UNSAVED_LAYOUT);
            buf.writeInt(j - i);
            for (int k = i; k < j; k++) {
                PhoneEntry p = dirtyPhones.get((int) order[k]);
                PhoneState.CompactSerializer.writeShortText(p.msisdn, buf);
                boolean present = p.state != null && !p.state.isEmpty();
                buf.writeBoolean(present);
                if (present) {
                    serializer.serialize(p.state, buf);
                }
                if (buf.length() >= 60 * 1024) {
                    out.write(buf.getSharedBuffer(), 0, buf.length());
                    buf.clear();
                }
            }
            out.write(buf.getSharedBuffer(), 0, buf.length());
            buf.clear();
            i = j;
        }
    }

    /**
     * The changed phones not yet written back at the checkpoint, from the raw keyed state of this subtask's key
     * groups (see {@link #writeUnsaved}); an empty state (to be cleared) as null.
     */
    static HashMap<String, PhoneState> readUnsaved(StateInitializationContext context) throws IOException {
        HashMap<String, PhoneState> unsaved = new HashMap<>();
        PhoneState.CompactSerializer serializer = new PhoneState.CompactSerializer();
        for (KeyGroupStatePartitionStreamProvider group : context.getRawKeyedStateInputs()) {
            DataInputViewStreamWrapper in =
                    new DataInputViewStreamWrapper(new BufferedInputStream(group.getStream(), 64 * 1024));
            if (in.readInt() != UNSAVED_LAYOUT) {
                continue; // the time service's (timers on the heap when the checkpoint was taken): none here
            }
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                String msisdn = PhoneState.CompactSerializer.readShortText(in);
                unsaved.put(msisdn, in.readBoolean() ? serializer.deserialize(in) : null);
            }
        }
        return unsaved;
    }

    /** A phone restored from the raw keyed state: cached, to be written back at the first barrier unless it changes. */
    PhoneEntry restoreUnsaved(String msisdn, PhoneState st) {
        PhoneEntry p = new PhoneEntry(msisdn);
        p.state = st;
        p.cached = true;
        cached++;
        p.dirty = true;
        p.quiet = quietBarriers;
        dirtyPhones.add(p);
        phones.put(msisdn, p);
        return p;
    }

    /** A phone restored from keyed state with an open stay: indexed, its state left in keyed state. */
    PhoneEntry restoreOpen(String msisdn) {
        PhoneEntry p = new PhoneEntry(msisdn);
        phones.put(msisdn, p);
        return p;
    }

    /** Every phone held in heap (tests: end of life). */
    Collection<PhoneEntry> entries() {
        return phones.values();
    }
}
