package org.healthcode.codes.format;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib (RFC 1950) compression of the signed COSE bytes, with a hard cap on the inflated size against zip bombs.
 *
 * <p>Deflaters and inflaters are pooled and reset rather than created per code: creating one allocates and later
 * frees zlib's native state (about 256 KB for a deflater), which cost more than compressing a 160-byte code. The pool
 * holds as many as were ever in use at once, up to {@link #MAX_POOLED}; beyond that they are ended after use.
 */
public final class Zlib {
    /** A QR code holds under 3 KB; anything inflating past this is not one of ours nor a DCC. */
    public static final int MAX_INFLATED_BYTES = 64 * 1024;

    static final int MAX_POOLED = 64;

    private static final Pool<Deflater> DEFLATERS = new Pool<>(() -> new Deflater(Deflater.BEST_COMPRESSION));
    private static final Pool<Inflater> INFLATERS = new Pool<>(Inflater::new);

    private Zlib() {}

    public static byte[] deflate(byte[] data) {
        Deflater deflater = DEFLATERS.take();
        boolean clean = false;
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[data.length + data.length / 8 + 64];
            int n = 0;
            while (!deflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                n += deflater.deflate(out, n, out.length - n);
            }
            clean = true;
            return Arrays.copyOf(out, n);
        } finally {
            if (clean) {
                deflater.reset();
                DEFLATERS.give(deflater, Deflater::end);
            } else {
                deflater.end();
            }
        }
    }

    public static byte[] inflate(byte[] data) throws CodeFormatException {
        Inflater inflater = INFLATERS.take();
        boolean clean = false;
        try {
            inflater.setInput(data);
            byte[] out = new byte[Math.min(MAX_INFLATED_BYTES, Math.max(256, data.length * 2))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= MAX_INFLATED_BYTES) {
                        throw new CodeFormatException("zlib stream inflates past " + MAX_INFLATED_BYTES + " bytes");
                    }
                    out = Arrays.copyOf(out, Math.min(MAX_INFLATED_BYTES, out.length * 2));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CodeFormatException("zlib stream is truncated");
                }
                n += got;
            }
            if (inflater.getRemaining() > 0) {
                throw new CodeFormatException("bytes after the end of the zlib stream");
            }
            clean = true;
            return Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new CodeFormatException("not a zlib stream: " + e.getMessage(), e);
        } finally {
            // a stream that failed half-way is not reused: reset() would do, but ending it costs nothing noticeable
            if (clean) {
                inflater.reset();
                INFLATERS.give(inflater, Inflater::end);
            } else {
                inflater.end();
            }
        }
    }

    /** A small lock-free pool. */
    private static final class Pool<T> {
        private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
        private final AtomicInteger idleCount = new AtomicInteger();
        private final Supplier<T> factory;

        Pool(Supplier<T> factory) {
            this.factory = factory;
        }

        T take() {
            T t = idle.poll();
            if (t == null) {
                return factory.get();
            }
            idleCount.decrementAndGet();
            return t;
        }

        void give(T t, java.util.function.Consumer<T> discard) {
            if (idleCount.incrementAndGet() > MAX_POOLED) {
                idleCount.decrementAndGet();
                discard.accept(t);
                return;
            }
            idle.offer(t);
        }
    }
}
