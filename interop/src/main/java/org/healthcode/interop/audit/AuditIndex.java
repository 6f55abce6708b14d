package org.healthcode.interop.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The audit topic's records indexed durably in RocksDB, by subject and by caller, with the topic position they
 * reflect written in the same batch (as the status view keeps its own): a restart reads on from there and a person
 * still sees who looked them up. Delete the directory to rebuild it from the topic.
 *
 * <p>Keys: {@code <subject or caller> 0x00 <at ms, 8 bytes> <partition, 4> <offset, 8>}, so one key's records sort
 * by time and a query reads the latest ones backwards from the end of its prefix. Values: the record's JSON.
 */
public final class AuditIndex implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] SUBJECT_CF = "by_subject".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CALLER_CF = "by_caller".getBytes(StandardCharsets.UTF_8);
    private static final byte[] POSITIONS_CF = "positions".getBytes(StandardCharsets.UTF_8);

    private final DBOptions options;
    private final ColumnFamilyOptions cfOptions;
    private final RocksDB db;
    private final ColumnFamilyHandle bySubject;
    private final ColumnFamilyHandle byCaller;
    private final ColumnFamilyHandle positions;
    private final WriteOptions writeOptions = new WriteOptions();
    private volatile boolean open = true;

    private AuditIndex(DBOptions options, ColumnFamilyOptions cfOptions, RocksDB db, List<ColumnFamilyHandle> handles) {
        this.options = options;
        this.cfOptions = cfOptions;
        this.db = db;
        this.bySubject = handles.get(1);
        this.byCaller = handles.get(2);
        this.positions = handles.get(3);
    }

    public static AuditIndex open(Path dir) throws RocksDBException, java.io.IOException {
        Files.createDirectories(dir);
        DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        ColumnFamilyOptions cf = new ColumnFamilyOptions();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = RocksDB.open(
                options,
                dir.toString(),
                List.of(
                        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
                        new ColumnFamilyDescriptor(SUBJECT_CF, cf),
                        new ColumnFamilyDescriptor(CALLER_CF, cf),
                        new ColumnFamilyDescriptor(POSITIONS_CF, cf)),
                handles);
        handles.get(0).close();
        return new AuditIndex(options, cf, db, handles);
    }

    /**
     * One record read from the topic, where it was read: only what the index keys need ({@code subject} and
     * {@code caller}, either may be null, and {@code at} in epoch milliseconds), and the record's JSON as stored;
     * a batch record is filed under each of its persons too, with the record as that person sees it
     * ({@code perSubject}).
     */
    public record Entry(
            String subject,
            String caller,
            long atMillis,
            byte[] json,
            int partition,
            long offset,
            List<Keyed> perSubject) {
        /** The entry of a record's JSON bytes as the topic carries them ({@link AuditRecord#readIndexKeys}). */
        public static Entry of(byte[] json, int partition, long offset) throws java.io.IOException {
            return AuditRecord.readIndexKeys(json, partition, offset);
        }
    }

    /** A person of a batch record and the record as they see it. */
    public record Keyed(String subject, byte[] json) {}

    /** Indexes the records and stores the next offset of each partition, in one atomic batch. */
    public synchronized void add(List<Entry> entries, Map<Integer, Long> nextOffsets) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (Entry e : entries) {
                if (e.subject() != null) {
                    batch.put(bySubject, key(e.subject(), e), e.json());
                }
                for (Keyed k : e.perSubject()) {
                    batch.put(bySubject, key(k.subject(), e), k.json());
                }
                if (e.caller() != null) {
                    batch.put(byCaller, key(e.caller(), e), e.json());
                }
            }
            for (Map.Entry<Integer, Long> p : nextOffsets.entrySet()) {
                batch.put(
                        positions,
                        ByteBuffer.allocate(4).putInt(p.getKey()).array(),
                        ByteBuffer.allocate(8).putLong(p.getValue()).array());
            }
            db.write(writeOptions, batch);
        }
    }

    /** The stored next offset of every partition read so far. */
    public Map<Integer, Long> positions() {
        Map<Integer, Long> out = new HashMap<>();
        try (RocksIterator it = db.newIterator(positions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(
                        ByteBuffer.wrap(it.key()).getInt(),
                        ByteBuffer.wrap(it.value()).getLong());
            }
        }
        return out;
    }

    public List<byte[]> latestAboutSubject(String subject, int limit) {
        return latest(bySubject, subject, limit);
    }

    /**
     * One page of the records about {@code subject}, newest first from just before {@code before} (a cursor from an
     * earlier page; null: from the newest), at most {@code limit}; {@code next} is the cursor of the page after it,
     * null at the oldest record. Paging reaches every record, however many came after.
     */
    public record Page(List<byte[]> values, byte[] next) {}

    public Page pageAboutSubject(String subject, byte[] before, int limit) {
        if (!open) {
            return new Page(List.of(), null);
        }
        byte[] prefix = prefix(subject);
        byte[] start;
        if (before == null) {
            start = Arrays.copyOf(prefix, prefix.length);
            start[start.length - 1] = 1; // just past every key of the prefix
        } else {
            start = ByteBuffer.allocate(prefix.length + before.length)
                    .put(prefix)
                    .put(before)
                    .array();
        }
        List<byte[]> out = new ArrayList<>();
        byte[] last = null;
        try (RocksIterator it = db.newIterator(bySubject)) {
            for (it.seekForPrev(start); it.isValid(); it.prev()) {
                byte[] k = it.key();
                if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                if (before != null && Arrays.equals(k, start)) {
                    continue; // the cursor's own record was on the page before
                }
                if (out.size() == limit) {
                    return new Page(out, Arrays.copyOfRange(last, prefix.length, last.length));
                }
                out.add(it.value());
                last = k;
            }
        }
        return new Page(out, null);
    }

    /** Every record about {@code subject} stamped at or after {@code fromMillis}, oldest first. */
    public List<byte[]> aboutSubjectSince(String subject, long fromMillis) {
        if (!open) {
            return List.of();
        }
        byte[] prefix = prefix(subject);
        byte[] start = ByteBuffer.allocate(prefix.length + 8)
                .put(prefix)
                .putLong(Math.max(0, fromMillis))
                .array();
        List<byte[]> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(bySubject)) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                out.add(it.value());
            }
        }
        return out;
    }

    public List<byte[]> latestByCaller(String caller, int limit) {
        return latest(byCaller, caller, limit);
    }

    /** The latest {@code limit} values under {@code key}, oldest first. */
    private List<byte[]> latest(ColumnFamilyHandle cf, String key, int limit) {
        if (!open) {
            return List.of();
        }
        byte[] prefix = prefix(key);
        byte[] after = Arrays.copyOf(prefix, prefix.length);
        after[after.length - 1] = 1; // just past every key of the prefix
        List<byte[]> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(cf)) {
            for (it.seekForPrev(after); it.isValid() && out.size() < limit; it.prev()) {
                byte[] k = it.key();
                if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                out.add(it.value());
            }
        }
        Collections.reverse(out);
        return out;
    }

    private static byte[] prefix(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] p = Arrays.copyOf(k, k.length + 1);
        p[k.length] = 0;
        return p;
    }

    private static byte[] key(String key, Entry e) {
        byte[] p = prefix(key);
        return ByteBuffer.allocate(p.length + 20)
                .put(p)
                .putLong(e.atMillis())
                .putInt(e.partition())
                .putLong(e.offset())
                .array();
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        bySubject.close();
        byCaller.close();
        positions.close();
        db.close();
        writeOptions.close();
        cfOptions.close();
        options.close();
    }
}
