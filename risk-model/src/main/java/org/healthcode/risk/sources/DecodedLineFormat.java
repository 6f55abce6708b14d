package org.healthcode.risk.sources;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.util.InstantiationUtil;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;

/**
 * A file's lines ({@link NumberedLineFormat}) decoded as they are read, in line order. A file is one split, read by
 * one fetching thread; decoding (JSON, validation, pseudonyms) is most of a replay's reading, so the reader decodes a
 * batch of lines at a time on that thread and on {@code helpers} more, each with its own copy of the decoder, and
 * hands the records on in the file's order: the same records in the same order as one thread would give.
 */
public class DecodedLineFormat extends SimpleStreamFormat<FeedRecord> {
    static final int BATCH = 512;
    private static final int BUFFER = 1 << 16;

    private final LineDecoder decoder;
    private final int helpers;

    /**
     * @param lineOffset lines in the archive's files before this one
     * @param helpers threads that decode beside the reading thread (0: it decodes alone)
     */
    public DecodedLineFormat(EventDecoder decoder, long lineOffset, int helpers) {
        this.decoder = new LineDecoder(decoder, lineOffset);
        this.helpers = helpers;
    }

    /** One helper per processor beside the reading thread's, at most three. */
    public static int helpersForThisMachine() {
        return Math.max(0, Math.min(3, Runtime.getRuntime().availableProcessors() - 1));
    }

    @Override
    public StreamFormat.Reader<FeedRecord> createReader(Configuration config, FSDataInputStream stream)
            throws IOException {
        return new Reader(new NumberedLineFormat.LineReader(stream, BUFFER), decoder, helpers);
    }

    @Override
    public TypeInformation<FeedRecord> getProducedType() {
        return FeedRecordSerializer.TYPE;
    }

    static final class Reader implements StreamFormat.Reader<FeedRecord> {
        private final StreamFormat.Reader<NumberedLine> lines;
        /** The reading thread's decoder first, then one copy per helper. */
        private final List<LineDecoder> decoders = new ArrayList<>();

        private final ExecutorService pool;
        private final NumberedLine[] batch = new NumberedLine[BATCH];
        private final FeedRecord[] decoded = new FeedRecord[BATCH];
        private int size;
        private int next;

        Reader(StreamFormat.Reader<NumberedLine> lines, LineDecoder decoder, int helpers) throws IOException {
            this.lines = lines;
            decoders.add(decoder);
            try {
                for (int i = 0; i < helpers; i++) {
                    decoders.add(InstantiationUtil.clone(decoder, LineDecoder.class.getClassLoader()));
                }
            } catch (ClassNotFoundException e) {
                throw new IOException("cannot copy the decoder for a decoding thread", e);
            }
            pool = helpers == 0
                    ? null
                    : Executors.newFixedThreadPool(helpers, r -> {
                        Thread t = new Thread(r, "replay line decoder");
                        t.setDaemon(true);
                        return t;
                    });
        }

        @Override
        public FeedRecord read() throws IOException {
            if (next == size) {
                fill();
                if (size == 0) {
                    return null;
                }
            }
            FeedRecord r = decoded[next];
            decoded[next++] = null;
            return r;
        }

        private void fill() throws IOException {
            size = 0;
            next = 0;
            NumberedLine l;
            while (size < BATCH && (l = lines.read()) != null) {
                batch[size++] = l;
            }
            int n = size;
            int parts = pool == null ? 1 : Math.min(decoders.size(), Math.max(1, n / 64));
            List<Future<?>> others = new ArrayList<>(parts - 1);
            for (int p = 1; p < parts; p++) {
                int from = n * p / parts;
                int to = n * (p + 1) / parts;
                LineDecoder d = decoders.get(p);
                others.add(pool.submit(() -> decode(d, from, to)));
            }
            decode(decoders.get(0), 0, n / parts);
            try {
                for (Future<?> f : others) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while decoding lines");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException(e.getCause());
            }
            Arrays.fill(batch, 0, n, null);
        }

        private void decode(LineDecoder d, int from, int to) {
            for (int i = from; i < to; i++) {
                decoded[i] = d.map(batch[i]);
            }
        }

        @Override
        public void close() throws IOException {
            if (pool != null) {
                pool.shutdownNow();
            }
            lines.close();
        }
    }
}
