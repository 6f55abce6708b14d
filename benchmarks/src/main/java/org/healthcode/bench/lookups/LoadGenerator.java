package org.healthcode.bench.lookups;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP/1.1 keep-alive load generator on Jetty's asynchronous HttpClient: closed loop (a fixed number of requests
 * in flight, for capacity) or open loop at a constant request rate, where each request's latency is measured from
 * the instant it was meant to be sent, not from when the client got round to it (coordinated omission: a server that
 * stalls must not slow the clock it is measured with).
 *
 * <p>Requests go to {@code GET <path-prefix><id>} with ids drawn uniformly from a fixed list. Responses are counted by
 * class: served (200), shed (503 or 429), other statuses, and failures (no response: timeout, connection error).
 * When more than {@code maxOutstanding} requests are waiting for an answer the generator does not send the next one
 * and counts it as unsent; so are the requests it had no time to send within the phase: the client, not the server,
 * is then the limit, and the report says so.
 */
public final class LoadGenerator implements AutoCloseable {
    private static final long TICK_NANOS = 500_000;

    private final HttpClient client;
    private final String host;
    private final int port;
    private final String[] paths;
    /**
     * The request URI of each path, made the first time it is drawn: Jetty's {@code newRequest(host, port).path(p)}
     * parses two URIs per request, which was a fifth of the generator's CPU on cores it shares with the server
     * under test. The same requests go on the wire either way.
     */
    private final java.net.URI[] uris;
    /** The app's API key on every request. */
    private final org.eclipse.jetty.http.HttpField authorization;

    /** Counts and latencies of one phase. */
    public record Outcome(
            double seconds,
            long intended,
            long sent,
            long unsent,
            long served,
            long shed,
            long otherStatus,
            long failed,
            Histogram servedLatency,
            Histogram shedLatency) {
        public double servedPerSecond() {
            return served / seconds;
        }

        public double answeredPerSecond() {
            return (served + shed + otherStatus) / seconds;
        }
    }

    public LoadGenerator(String host, int port, String pathPrefix, String[] ids, int connections, String authorization)
            throws Exception {
        this.authorization = new org.eclipse.jetty.http.PreEncodedHttpField(
                org.eclipse.jetty.http.HttpHeader.AUTHORIZATION, authorization);
        this.host = host;
        this.port = port;
        this.paths = new String[ids.length];
        this.uris = new java.net.URI[ids.length];
        for (int i = 0; i < ids.length; i++) {
            paths[i] = pathPrefix + ids[i];
        }
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("loadgen");
        threads.setDaemon(true);
        // one selector: on 2 shared cores more selector threads only compete with the server under test
        client = new HttpClient(new HttpClientTransportOverHTTP(1));
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(1 << 20);
        client.setFollowRedirects(false);
        client.setConnectTimeout(10_000);
        client.setIdleTimeout(60_000);
        client.start();
    }

    /**
     * Opens up to {@code connections} connections before a phase (one request on each, sent at once, answers not
     * counted), so that a phase with thousands of connections does not spend its first seconds connecting and
     * charge that to the server. Returns how many requests were answered (any status) within {@code seconds}.
     */
    public long warmConnections(int connections, double seconds) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(connections);
        LongAdder answered = new LongAdder();
        for (int i = 0; i < connections; i++) {
            request().timeout(30, TimeUnit.SECONDS).send(result -> {
                if (!result.isFailed() || result.getResponse().getStatus() > 0) {
                    answered.increment();
                }
                done.countDown();
            });
        }
        done.await(Math.round(seconds), TimeUnit.SECONDS);
        return answered.sum();
    }

    /** Keeps {@code concurrency} requests in flight for {@code seconds}; the completion rate is the capacity. */
    public Outcome closedLoop(int concurrency, double seconds) throws InterruptedException {
        Counters c = new Counters();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            closedLoopNext(c, deadline, done);
        }
        done.await(Math.round(seconds) + 60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return c.outcome(elapsed, c.sent.get(), 0);
    }

    /**
     * As {@link #closedLoop}, each request a {@code POST <batchPath>} of {@code {"ids": [...]}} with {@code batch}
     * ids drawn uniformly, sent with {@code batchAuthorization}; a 200 counts as {@code batch} lookups served.
     */
    public Outcome closedLoopBatches(
            String batchPath, int batch, String batchAuthorization, int concurrency, double seconds)
            throws InterruptedException {
        Counters c = new Counters();
        org.eclipse.jetty.http.HttpField auth = new org.eclipse.jetty.http.PreEncodedHttpField(
                org.eclipse.jetty.http.HttpHeader.AUTHORIZATION, batchAuthorization);
        java.net.URI uri = java.net.URI.create("http://" + host + ":" + port + batchPath);
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            batchNext(c, uri, auth, batch, deadline, done);
        }
        done.await(Math.round(seconds) + 60, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Outcome o = c.outcome(elapsed, c.sent.get(), 0);
        return new Outcome(
                o.seconds(),
                o.intended(),
                o.sent(),
                o.unsent(),
                o.served() * batch,
                o.shed(),
                o.otherStatus(),
                o.failed(),
                o.servedLatency(),
                o.shedLatency());
    }

    private void batchNext(
            Counters c,
            java.net.URI uri,
            org.eclipse.jetty.http.HttpField auth,
            int batch,
            long deadline,
            java.util.concurrent.CountDownLatch done) {
        long intended = System.nanoTime();
        if (intended >= deadline) {
            done.countDown();
            return;
        }
        StringBuilder body = new StringBuilder(batch * 30).append("{\"ids\":[");
        for (int i = 0; i < batch; i++) {
            String path = paths[ThreadLocalRandom.current().nextInt(paths.length)];
            body.append(i == 0 ? "\"" : ",\"")
                    .append(path, path.lastIndexOf('/') + 1, path.length())
                    .append('"');
        }
        body.append("]}");
        c.sent.incrementAndGet();
        client.newRequest(uri)
                .method(org.eclipse.jetty.http.HttpMethod.POST)
                .headers(h -> h.put(auth))
                .body(new org.eclipse.jetty.client.StringRequestContent("application/json", body.toString()))
                .timeout(30, TimeUnit.SECONDS)
                .send(result -> {
                    c.record(result, intended);
                    batchNext(c, uri, auth, batch, deadline, done);
                });
    }

    /** A flood running beside a phase: answers counted by class until {@link #stop}. */
    public final class Flood {
        private final Counters counters = new Counters();
        private final long start = System.nanoTime();
        private volatile boolean running = true;

        /** Stops sending; returns what was answered while it ran. */
        public Outcome stop() {
            running = false;
            return counters.outcome((System.nanoTime() - start) / 1e9, counters.sent.get(), 0);
        }
    }

    /**
     * Keeps {@code concurrency} {@code POST <path>} requests of {@code body} in flight (with their own
     * {@code Authorization}) until the returned flood is stopped: the noisy neighbour beside a measured phase.
     */
    public Flood flood(String path, String contentType, byte[] body, String floodAuthorization, int concurrency) {
        Flood f = new Flood();
        org.eclipse.jetty.http.HttpField auth = new org.eclipse.jetty.http.PreEncodedHttpField(
                org.eclipse.jetty.http.HttpHeader.AUTHORIZATION, floodAuthorization);
        java.net.URI uri = java.net.URI.create("http://" + host + ":" + port + path);
        for (int i = 0; i < concurrency; i++) {
            floodNext(f, uri, auth, contentType, body);
        }
        return f;
    }

    private void floodNext(
            Flood f, java.net.URI uri, org.eclipse.jetty.http.HttpField auth, String contentType, byte[] body) {
        if (!f.running) {
            return;
        }
        long intended = System.nanoTime();
        f.counters.sent.incrementAndGet();
        client.newRequest(uri)
                .method(org.eclipse.jetty.http.HttpMethod.POST)
                .headers(h -> h.put(auth))
                .body(new org.eclipse.jetty.client.BytesRequestContent(contentType, body))
                .timeout(30, TimeUnit.SECONDS)
                .send(result -> {
                    f.counters.record(result, intended);
                    floodNext(f, uri, auth, contentType, body);
                });
    }

    private void closedLoopNext(Counters c, long deadline, java.util.concurrent.CountDownLatch done) {
        long intended = System.nanoTime();
        if (intended >= deadline) {
            done.countDown();
            return;
        }
        c.sent.incrementAndGet();
        request().timeout(30, TimeUnit.SECONDS).send(result -> {
            c.record(result, intended);
            closedLoopNext(c, deadline, done);
        });
    }

    /**
     * Sends {@code rate} requests per second for {@code seconds}, on schedule whatever the answers do, then waits up to
     * {@code drainSeconds} for the outstanding answers. Latency = answer time - intended send time.
     */
    public Outcome openLoop(double rate, double seconds, long maxOutstanding, double drainSeconds)
            throws InterruptedException {
        Counters c = new Counters();
        long total = (long) (rate * seconds);
        double intervalNanos = 1e9 / rate;
        long start = System.nanoTime();
        long unsent = 0;
        long i = 0;
        long sendDeadline = start + (long) (seconds * 1e9);
        while (i < total) {
            long now = System.nanoTime();
            if (now > sendDeadline) {
                // the generator itself could not keep the schedule (its thread got too little CPU): what it did not
                // send in the phase's time was not offered, and is counted as unsent rather than sent late
                unsent += total - i;
                break;
            }
            long due = Math.min(total, (long) ((now - start) / intervalNanos) + 1);
            for (; i < due; i++) {
                long intended = start + (long) (i * intervalNanos);
                if (c.sent.get() - c.completed.sum() >= maxOutstanding) {
                    unsent++;
                    continue;
                }
                c.sent.incrementAndGet();
                request().timeout(30, TimeUnit.SECONDS).send(result -> c.record(result, intended));
            }
            // Sends in ticks of at least TICK_NANOS: a pacing thread that wakes for every request would take a
            // good part of one of the 2 cores from the server under test. A request sent up to one tick after its
            // intended time is charged that delay (latency counts from the intended time), so this errs against us.
            long nextAt = start + (long) (i * intervalNanos);
            long wait = nextAt - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.max(wait, TICK_NANOS));
            }
        }
        long drainDeadline = System.nanoTime() + (long) (drainSeconds * 1e9);
        while (c.completed.sum() < c.sent.get() && System.nanoTime() < drainDeadline) {
            Thread.sleep(1);
        }
        // the rate is over the time until the last answer: answers that trail the schedule do not inflate it
        double elapsed = (System.nanoTime() - start) / 1e9;
        return c.outcome(Math.max(elapsed, seconds), total, unsent);
    }

    /** The body of {@code GET <path>} on the server under test; empty when it does not answer 200 in time. */
    public String get(String path) {
        try {
            org.eclipse.jetty.client.ContentResponse r = client.newRequest("http://" + host + ":" + port + path)
                    .timeout(10, TimeUnit.SECONDS)
                    .send();
            return r.getStatus() == 200 ? r.getContentAsString() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private org.eclipse.jetty.client.Request request() {
        return client.newRequest(randomUri()).headers(h -> h.put(authorization));
    }

    private java.net.URI randomUri() {
        int i = ThreadLocalRandom.current().nextInt(paths.length);
        java.net.URI uri = uris[i];
        if (uri == null) {
            uri = java.net.URI.create("http://" + host + ":" + port + paths[i]);
            uris[i] = uri; // a race makes the same URI twice: harmless
        }
        return uri;
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }

    /** Thread-safe tallies of one phase. */
    private static final class Counters {
        final AtomicLong sent = new AtomicLong();
        final LongAdder completed = new LongAdder();
        final LongAdder served = new LongAdder();
        final LongAdder shed = new LongAdder();
        final LongAdder other = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Recorder servedLatency = new Recorder(3);
        final Recorder shedLatency = new Recorder(3);

        void record(Result result, long intendedNanos) {
            long latency = System.nanoTime() - intendedNanos;
            if (result.isFailed() && result.getResponse().getStatus() <= 0) {
                failed.increment();
            } else {
                int status = result.getResponse().getStatus();
                if (status == 200) {
                    served.increment();
                    servedLatency.recordValue(Math.max(1, latency));
                } else if (status == 503 || status == 429) {
                    shed.increment();
                    shedLatency.recordValue(Math.max(1, latency));
                } else {
                    other.increment();
                }
            }
            completed.increment();
        }

        Outcome outcome(double seconds, long intended, long unsent) {
            return new Outcome(
                    seconds,
                    intended,
                    sent.get(),
                    unsent,
                    served.sum(),
                    shed.sum(),
                    other.sum(),
                    failed.sum() + (sent.get() - completed.sum()),
                    servedLatency.getIntervalHistogram(),
                    shedLatency.getIntervalHistogram());
        }
    }
}
