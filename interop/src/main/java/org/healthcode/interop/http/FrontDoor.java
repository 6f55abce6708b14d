package org.healthcode.interop.http;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outermost handler: it runs where Jetty parsed the request, on the connection's selector thread (it is
 * non-blocking, so Jetty need not queue the request for a pool thread first), and decides there, in a few
 * microseconds, what must not wait in the pool's queue:
 *
 * <ul>
 *   <li>a status lookup (single or batched) while more than {@code maxWaiting} tasks already wait for an HTTP thread
 *       is answered 503 {@code overloaded} with {@code Retry-After: 1} at once: the refusal costs no thread and no
 *       place in the queue, so under a surge it arrives in the time it takes to parse the request, and the queue an
 *       admitted lookup waits in stays bounded (what {@code LookupAdmission} then bounds further);</li>
 *   <li>{@code /health} and {@code /metrics} are answered right there (they never block), so operators see the
 *       service even while every HTTP thread is busy;</li>
 *   <li>everything else goes on to the pool and the handlers behind, as before (their work may block).</li>
 * </ul>
 *
 * <p>A refusal here decides and reveals nothing about anyone: counted ({@code onShed}), not audited, and given to
 * anonymous callers alike.
 */
public final class FrontDoor extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);
    private static final String STATUS = "/v1/status/";
    private static final String BATCH = "/v1/status:batch";

    private final Executor pool;
    private final IntSupplier waiting;
    private final int maxWaiting;
    private final Runnable onShed;

    /**
     * @param pool       the HTTP threads, where every request other than health and metrics is handled
     * @param waiting    the tasks waiting for an HTTP thread now
     * @param maxWaiting beyond this many waiting, lookups are refused at the door
     * @param onShed     counts a refusal
     */
    public FrontDoor(Handler next, Executor pool, IntSupplier waiting, int maxWaiting, Runnable onShed) {
        super(next);
        this.pool = pool;
        this.waiting = waiting;
        this.maxWaiting = maxWaiting;
        this.onShed = onShed;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path != null && (path.startsWith(STATUS) || path.equals(BATCH)) && waiting.getAsInt() > maxWaiting) {
            onShed.run();
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return JsonResponses.error(
                    response, callback, ErrorReason.OVERLOADED, "too many requests waiting; retry after a second");
        }
        if ("/health".equals(path) || "/metrics".equals(path)) {
            return next(request, response, callback);
        }
        try {
            pool.execute(() -> {
                if (!next(request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            });
        } catch (RejectedExecutionException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return JsonResponses.error(
                    response, callback, ErrorReason.OVERLOADED, "no thread to answer; retry after a second");
        }
        return true;
    }

    private boolean next(Request request, Response response, Callback callback) {
        try {
            return super.handle(request, response, callback);
        } catch (Throwable t) {
            LOG.error("request failed", t);
            Response.writeError(request, response, callback, t);
            return true;
        }
    }
}
