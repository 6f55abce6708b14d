package org.healthcode.interop.api;

import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.JsonResponses;

/**
 * Admission of status lookups (single and batched), behind access control: only an authenticated caller within its
 * rate limit waits for a slot, so anonymous traffic cannot crowd real lookups out of the queue. At most {@code maxInFlight} lookups are handled at once; the next ones wait, without holding a thread,
 * in a queue of at most {@code maxQueued} for at most {@code maxQueueWait}; a lookup that finds the queue full, or
 * whose wait runs out, is answered 503 {@code overloaded} with {@code Retry-After: 1}.
 *
 * <p>Why a queue with a deadline and not only an in-flight count: on a small machine with a pool of threads that
 * each answer in microseconds, the in-flight count never reaches a useful limit; the queue forms instead in sockets
 * and in the thread pool, where nothing measures how long a request has waited. Suspending the excess here frees the
 * threads to keep reading the sockets, so the wait moves into this queue where it is bounded and timed: the latency
 * of an admitted lookup stays within the queue's deadline plus its own service time, whatever the offered load.
 *
 * <p>Built on Jetty's {@link QoSHandler} (suspend and resume, expiry); only the refusal is ours, so it carries the
 * stable error code of {@link ErrorReason#OVERLOADED} like every other error of the API, and is counted, not audited
 * (it decides nothing about anyone, and must stay cheap under load). Other paths pass through.
 */
public final class LookupAdmission extends QoSHandler {
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final String BATCH = "/v1/status:batch";
    private final StatusLookupService lookups;

    public LookupAdmission(
            Handler next, StatusLookupService lookups, int maxInFlight, int maxQueued, Duration maxQueueWait) {
        super(next);
        this.lookups = lookups;
        includePath(ServingHandler.STATUS_PREFIX + "*");
        includePath(BATCH);
        setMaxRequestCount(maxInFlight);
        setMaxSuspendedRequestCount(maxQueued);
        setMaxSuspend(maxQueueWait);
    }

    /** Lookups waiting in the queue now. */
    public int queued() {
        return getSuspendedRequestCount();
    }

    /** The queue was full (or the request had already expired once): refused at once. */
    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        overloaded(response, callback, "too many lookups waiting; retry after a second");
    }

    /** A suspended lookup whose wait ran out (503), or one that failed when resumed (anything else). */
    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        if (status == ErrorReason.OVERLOADED.httpStatus() && !response.isCommitted()) {
            overloaded(response, callback, "waited too long for admission; retry after a second");
        } else {
            super.failSuspended(request, response, callback, status, failure);
        }
    }

    private void overloaded(Response response, Callback callback, String message) {
        lookups.recordRefused(ErrorReason.OVERLOADED);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        JsonResponses.error(response, callback, ErrorReason.OVERLOADED, message);
    }

    /** The admission limits, for the log line at start. */
    @Override
    public String toString() {
        return String.format(
                "LookupAdmission[maxInFlight=%d, maxQueued=%d, maxQueueWait=%s]",
                getMaxRequestCount(), getMaxSuspendedRequestCount(), getMaxSuspend());
    }
}
