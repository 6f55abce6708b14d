package org.healthcode.interop.store;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.TopicPartition;
import org.healthcode.ingest.proto.StatusRecord;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The serving side's materialised view of the {@code status} topic: the latest StatusRecord per person id, and the
 * topic position it reflects, both in one RocksDB database.
 *
 * <p>Three column families: {@code status} (person id UTF-8 -> StatusRecord Protobuf bytes, exactly as on the topic),
 * {@code offsets} (topic, partition -> the next offset to read) and {@code national} (national pseudonym -> person
 * id, from the statuses' {@code national_id}, for other regions' lookups and risk-person exchange). {@link #apply} writes a batch of changes and
 * the offsets after them in one {@link WriteBatch}: after a crash the view and its position agree, so the consumer
 * resumes exactly where the data stops (no record lost, none applied twice).
 *
 * <p>Writes come from one thread (the consumer); reads from any number of threads (HTTP). The read lock only guards
 * against using the native handles after {@link #close}.
 */
public final class StatusView implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] STATUS_CF = "status".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFFSETS_CF = "offsets".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NATIONAL_CF = "national".getBytes(StandardCharsets.UTF_8);
    private static final long BLOCK_CACHE_BYTES = 64L << 20;

    /** One change read from the topic: a status, or a tombstone ({@code value == null}) that removes the person. */
    public record Change(String personId, byte[] value) {}

    /** What one {@link #apply} did with its changes. */
    public record ApplyResult(int applied, int stale, int deleted, int malformed) {}

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions statusOptions;
    private final ColumnFamilyOptions offsetsOptions;
    private final LRUCache blockCache;
    private final BloomFilter bloom;
    private final RocksDB db;
    private final ColumnFamilyHandle status;
    private final ColumnFamilyHandle offsets;
    private final ColumnFamilyHandle national;
    private final WriteOptions writeOptions = new WriteOptions();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean open = true;

    private StatusView(
            Path dir,
            DBOptions dbOptions,
            ColumnFamilyOptions statusOptions,
            ColumnFamilyOptions offsetsOptions,
            LRUCache blockCache,
            BloomFilter bloom,
            RocksDB db,
            ColumnFamilyHandle status,
            ColumnFamilyHandle offsets,
            ColumnFamilyHandle national) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.statusOptions = statusOptions;
        this.offsetsOptions = offsetsOptions;
        this.blockCache = blockCache;
        this.bloom = bloom;
        this.db = db;
        this.status = status;
        this.offsets = offsets;
        this.national = national;
    }

    /** Opens the view in {@code dir}, creating it when missing. */
    public static StatusView open(Path dir) throws RocksDBException, java.io.IOException {
        Files.createDirectories(dir);
        // Lookups are point gets: a bloom filter skips files without the key; a block cache keeps hot persons.
        LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
        BloomFilter bloom = new BloomFilter(10);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(bloom)
                .setWholeKeyFiltering(true);
        ColumnFamilyOptions statusOptions = new ColumnFamilyOptions().setTableFormatConfig(table);
        ColumnFamilyOptions offsetsOptions = new ColumnFamilyOptions();
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, new ColumnFamilyOptions()),
                new ColumnFamilyDescriptor(STATUS_CF, statusOptions),
                new ColumnFamilyDescriptor(OFFSETS_CF, offsetsOptions),
                new ColumnFamilyDescriptor(NATIONAL_CF, offsetsOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        handles.get(0).close(); // the default column family is unused but must be opened
        return new StatusView(
                dir,
                dbOptions,
                statusOptions,
                offsetsOptions,
                cache,
                bloom,
                db,
                handles.get(1),
                handles.get(2),
                handles.get(3));
    }

    /** The stored status of a person, if any. */
    public Optional<StatusRecord> get(String personId) throws RocksDBException {
        byte[] bytes = getBytes(personId);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StatusRecord.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            // apply() stores only values that parsed; this means the files were damaged
            throw new IllegalStateException("stored status of " + personId + " does not parse", e);
        }
    }

    /**
     * The stored status of the person with this national pseudonym (the {@code national_id} of their status), if
     * any: the index other regions are answered from, since they never know this region's person ids.
     */
    public Optional<StatusRecord> getByNationalId(String nationalId) throws RocksDBException {
        byte[] personId;
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            requireOpen();
            personId = db.get(national, nationalId.getBytes(StandardCharsets.UTF_8));
        } finally {
            lock.unlock();
        }
        return personId == null ? Optional.empty() : get(new String(personId, StandardCharsets.UTF_8));
    }

    /** The stored StatusRecord bytes of a person, or null. */
    public byte[] getBytes(String personId) throws RocksDBException {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            requireOpen();
            return db.get(status, personId.getBytes(StandardCharsets.UTF_8));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies {@code changes} in order, and records {@code nextOffsets} (per partition: the offset to read next),
     * all in one atomic write.
     *
     * <p>A status that does not come after the stored one in (epoch, seq) order is ignored: a replay or a duplicate
     * never moves a person back, and a job rebuilt from empty state (a higher epoch, seq from 1 again) supersedes
     * the old job's statuses. A tombstone deletes. A value that is not a StatusRecord is skipped and counted (the
     * topic is written by our own job, so this means a bug or a foreign writer; stopping the view for it would stop
     * every lookup).
     */
    public ApplyResult apply(List<Change> changes, Map<TopicPartition, Long> nextOffsets) throws RocksDBException {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            requireOpen();
            int applied = 0;
            int stale = 0;
            int deleted = 0;
            int malformed = 0;
            // order of persons already changed in this batch: the batch is not visible to db.get before it is written
            Map<String, Order> seqInBatch = new HashMap<>();
            for (Change c : changes) {
                byte[] key = c.personId().getBytes(StandardCharsets.UTF_8);
                if (c.value() == null) {
                    unindexNational(batch, key);
                    batch.delete(status, key);
                    seqInBatch.put(c.personId(), Order.NONE);
                    deleted++;
                    continue;
                }
                StatusRecord incoming;
                try {
                    incoming = StatusRecord.parseFrom(c.value());
                } catch (InvalidProtocolBufferException e) {
                    malformed++;
                    continue;
                }
                Order known = seqInBatch.get(c.personId());
                Order current = known != null ? known : storedOrder(key);
                Order order = Order.of(incoming);
                if (order.compareTo(current) <= 0) {
                    stale++;
                    continue;
                }
                if (!incoming.getNationalId().isEmpty()) {
                    batch.put(national, incoming.getNationalId().getBytes(StandardCharsets.UTF_8), key);
                }
                batch.put(status, key, c.value());
                seqInBatch.put(c.personId(), order);
                applied++;
            }
            for (Map.Entry<TopicPartition, Long> e : nextOffsets.entrySet()) {
                batch.put(
                        offsets,
                        offsetKey(e.getKey()),
                        ByteBuffer.allocate(Long.BYTES).putLong(e.getValue()).array());
            }
            db.write(writeOptions, batch);
            return new ApplyResult(applied, stale, deleted, malformed);
        } finally {
            lock.unlock();
        }
    }

    /** The stored next offsets of {@code topic}'s partitions (partitions never applied are absent). */
    public Map<TopicPartition, Long> storedOffsets(String topic) throws RocksDBException {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            requireOpen();
            return readOffsets(topic);
        } finally {
            lock.unlock();
        }
    }

    private Map<TopicPartition, Long> readOffsets(String topic) {
        try (RocksIterator it = db.newIterator(offsets)) {
            Map<TopicPartition, Long> result = new HashMap<>();
            byte[] prefix = (topic + "\0").getBytes(StandardCharsets.UTF_8);
            for (it.seek(prefix); it.isValid(); it.next()) {
                String key = new String(it.key(), StandardCharsets.UTF_8);
                int sep = key.lastIndexOf('\0');
                if (!key.substring(0, sep).equals(topic)) {
                    break;
                }
                result.put(
                        new TopicPartition(topic, Integer.parseInt(key.substring(sep + 1))),
                        ByteBuffer.wrap(it.value()).getLong());
            }
            return result;
        }
    }

    /** RocksDB's estimate of the number of persons in the view (exact only after compaction). */
    public long approximatePersons() {
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (!open) {
                return 0;
            }
            return db.getLongProperty(status, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return -1;
        } finally {
            lock.unlock();
        }
    }

    public boolean isOpen() {
        return open;
    }

    public Path dir() {
        return dir;
    }

    /** Flushes the memtables to disk (so a restart does not replay the write-ahead log) and closes. Idempotent. */
    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (!open) {
                return;
            }
            open = false;
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, List.of(status, offsets, national));
            } catch (RocksDBException e) {
                // the write-ahead log still has every write: the next open replays it
            }
            status.close();
            offsets.close();
            national.close();
            db.close();
            writeOptions.close();
            dbOptions.close();
            statusOptions.close();
            offsetsOptions.close();
            blockCache.close();
            bloom.close();
        } finally {
            lock.unlock();
        }
    }

    private void unindexNational(WriteBatch batch, byte[] key) throws RocksDBException {
        byte[] stored = db.get(status, key);
        if (stored == null) {
            return;
        }
        try {
            String nid = StatusRecord.parseFrom(stored).getNationalId();
            if (!nid.isEmpty()) {
                batch.delete(national, nid.getBytes(StandardCharsets.UTF_8));
            }
        } catch (InvalidProtocolBufferException e) {
            // nothing indexed for a value that does not parse
        }
    }

    private Order storedOrder(byte[] key) throws RocksDBException {
        byte[] stored = db.get(status, key);
        if (stored == null) {
            return Order.NONE;
        }
        try {
            return Order.of(StatusRecord.parseFrom(stored));
        } catch (InvalidProtocolBufferException e) {
            return Order.NONE;
        }
    }

    /** Where a status stands among a person's statuses: by the epoch of the job state that wrote it, then seq. */
    private record Order(long epoch, long seq) implements Comparable<Order> {
        static final Order NONE = new Order(Long.MIN_VALUE, Long.MIN_VALUE);

        static Order of(StatusRecord r) {
            return new Order(r.getEpoch(), r.getSeq());
        }

        @Override
        public int compareTo(Order o) {
            int byEpoch = Long.compare(epoch, o.epoch);
            return byEpoch != 0 ? byEpoch : Long.compare(seq, o.seq);
        }
    }

    private void requireOpen() {
        if (!open) {
            throw new ViewClosedException();
        }
    }

    private static byte[] offsetKey(TopicPartition tp) {
        return (tp.topic() + "\0" + tp.partition()).getBytes(StandardCharsets.UTF_8);
    }

    /** Thrown when the view is used after it was closed (during shutdown). */
    public static final class ViewClosedException extends IllegalStateException {
        public ViewClosedException() {
            super("the status view is closed");
        }
    }
}
