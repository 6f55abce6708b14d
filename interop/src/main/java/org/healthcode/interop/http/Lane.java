package org.healthcode.interop.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lane of work apart from status lookups: a few threads of its own and a short queue, refusing at once what does
 * not fit. Code issuing and QR rendering take one lane, reading pictures ({@code /v1/verify-image}) another, so a
 * flood of either fills its own queue and is answered 503 {@code overloaded}, while the HTTP threads stay free to
 * read sockets and answer lookups. On a machine of few cores the lanes still share the CPU with lookups; their few
 * threads are what bounds the share they can take.
 */
public final class Lane implements AutoCloseable {
    private final String name;
    private final ThreadPoolExecutor pool;

    public Lane(String name, int threads, int queue) {
        this.name = name;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code task} on this lane; false when its threads are busy and its queue is full. */
    public boolean offer(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Tasks waiting for a thread of this lane now. */
    public int queued() {
        return pool.getQueue().size();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
