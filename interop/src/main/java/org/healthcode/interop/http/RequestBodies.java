package org.healthcode.interop.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads request bodies with a bound and without holding a thread while the bytes arrive: a client that sends its
 * body slowly costs a connection until Jetty's idle timeout, never one of the HTTP threads.
 */
public final class RequestBodies {
    private RequestBodies() {}

    /** What to do with a body once it has been read whole. */
    @FunctionalInterface
    public interface BodyHandler {
        void handle(byte[] body) throws Exception;
    }

    /**
     * Reads the body of {@code request} (at most {@link RequestLimits#maxBody} of its path), then hands it to
     * {@code then}; answers 413 {@code payload_too_large} past the bound, 408 {@code request_timeout} when the client
     * stopped sending, 400 {@code malformed_request} when the body could not be read, and 500 when {@code then}
     * throws. Always returns true: the request is handled from here on.
     */
    public static boolean read(Request request, Response response, Callback callback, BodyHandler then) {
        int max = RequestLimits.maxBody(Request.getPathInContext(request));
        Content.Source.asByteArrayAsync(request, max).whenComplete((body, failure) -> {
            if (failure != null) {
                readFailed(response, callback, max, failure);
                return;
            }
            try {
                then.handle(body);
            } catch (Throwable t) {
                RequestLimits.failed(request, response, callback, t);
            }
        });
        return true;
    }

    private static void readFailed(Response response, Callback callback, int max, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RequestLimits.BodyTooLargeException || cause instanceof IllegalArgumentException) {
            JsonResponses.error(
                    response, callback, ErrorReason.PAYLOAD_TOO_LARGE, "the body may be at most " + max + " bytes");
        } else if (cause instanceof TimeoutException) {
            JsonResponses.error(response, callback, ErrorReason.REQUEST_TIMEOUT, "the body did not arrive in time");
        } else {
            JsonResponses.error(response, callback, ErrorReason.MALFORMED_REQUEST, "the body could not be read");
        }
    }
}
