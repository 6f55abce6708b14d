package org.healthcode.interop.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.interop.audit.AuditUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every HTTP server of this process: finds the request's {@link Route} (for every handler
 * after), enforces its body size before any other handler runs, and has the last word on failures.
 *
 * <ul>
 *   <li>A request whose {@code Content-Length} exceeds its path's bound is answered 413 {@code payload_too_large} at
 *       once, its body never read (the connection is closed after the answer);</li>
 *   <li>a body without a length (chunked) is counted as it is read: past the bound, the read fails with
 *       {@link BodyTooLargeException}, which {@link RequestBodies} answers 413;</li>
 *   <li>a decision whose audit record could not be made durable ({@link AuditUnavailableException}) is answered
 *       503 {@code unavailable}, never with its result;</li>
 *   <li>any other {@link Throwable} a handler lets escape ({@link OutOfMemoryError} included) is logged and answered 500
 *       {@code internal_error} with no detail: no exception name, stack or Jetty page ever reaches a caller.</li>
 * </ul>
 */
public final class RequestLimits extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLimits.class);
    /** The bound of a path no route matches. */
    private static final int MAX_BODY = Route.Body.DEFAULT.maxBytes();

    public RequestLimits(Handler next) {
        super(next);
    }

    /** The largest request body {@code path} accepts, in bytes, as its {@link Route} says. */
    public static int maxBody(String path) {
        return Route.match(path).map(Route::maxBody).orElse(MAX_BODY);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        // the route is found once per request, here; every handler after reads it from the request
        Route route = Route.match(Request.getPathInContext(request)).orElse(null);
        if (route != null) {
            request.setAttribute(Route.ATTRIBUTE, route);
        }
        int max = route == null ? MAX_BODY : route.maxBody();
        if (request.getLength() > max) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            return JsonResponses.error(
                    response, callback, ErrorReason.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes");
        }
        try {
            return super.handle(new BoundedRequest(request, max), response, callback);
        } catch (Throwable t) {
            return failed(request, response, callback, t);
        }
    }

    /**
     * Answers a failure no handler caught: 503 {@code unavailable} when the decision could not be audited (fail
     * closed), else 500 (or fails the exchange when the answer has begun).
     */
    public static boolean failed(Request request, Response response, Callback callback, Throwable t) {
        boolean unaudited = t instanceof AuditUnavailableException;
        if (unaudited) {
            LOG.warn("{} {} not answered: {}", request.getMethod(), Request.getPathInContext(request), t.getMessage());
        } else {
            LOG.error("{} {} failed", request.getMethod(), Request.getPathInContext(request), t);
        }
        if (response.isCommitted()) {
            callback.failed(t);
            return true;
        }
        try {
            response.reset();
        } catch (IllegalStateException e) {
            // headers already sent: the callback below ends the exchange
            callback.failed(t);
            return true;
        }
        if (unaudited) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return JsonResponses.error(
                    response,
                    callback,
                    ErrorReason.UNAVAILABLE,
                    "the decision could not be audited, so it is not answered; retry shortly");
        }
        return JsonResponses.error(response, callback, ErrorReason.INTERNAL, "the request failed; see the service log");
    }

    /** A read past the path's bound: answered 413. */
    public static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException(int max) {
            super("the body may be at most " + max + " bytes");
        }
    }

    /** Counts the body's bytes as they are read and fails the read that passes {@code max}. */
    private static final class BoundedRequest extends Request.Wrapper {
        private final int max;
        private long read;

        BoundedRequest(Request request, int max) {
            super(request);
            this.max = max;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return chunk;
            }
            read += chunk.remaining();
            if (read > max) {
                chunk.release();
                return Content.Chunk.from(new BodyTooLargeException(max), true);
            }
            return chunk;
        }
    }
}
