package org.healthcode.interop.codes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.Lane;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.security.Caller;

/**
 * What the codes handlers share: the caller on the request, the bound on signatures in flight, the lanes their
 * work runs on, and their answers (JSON errors; bodies with their cache policy).
 */
final class CodeResponses {
    static final String JSON = "application/json";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CodeResponses() {}

    /** A request's answer once it holds a place within the bound. */
    @FunctionalInterface
    interface Answer {
        boolean answer(Callback callback);
    }

    /** Who is asking, as authentication in front of the handlers established it; null when nothing did. */
    static Caller callerOf(Request request) {
        return request.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c : null;
    }

    /**
     * Issuing and verifying cost a signature each: bounded like lookups ({@code inFlight}, shared by both), refused
     * at once beyond the bound; the place is released when the answer is written.
     */
    static boolean shed(Semaphore inFlight, Request request, Response response, Callback callback, Answer answer) {
        if (!inFlight.tryAcquire()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            return error(
                    response, callback, ErrorReason.OVERLOADED, "too many requests in flight; retry after a second");
        }
        Callback release = Callback.from(callback, (Runnable) inFlight::release);
        try {
            return answer.answer(release);
        } catch (RuntimeException e) {
            return RequestLimits.failed(request, response, release, e);
        }
    }

    /** Runs {@code work} on {@code lane}, or answers 503 {@code overloaded} at once when the lane is full. */
    static boolean onLane(Lane lane, Request request, Response response, Callback callback, Runnable work) {
        boolean taken = lane.offer(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                RequestLimits.failed(request, response, callback, e);
            }
        });
        if (!taken) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            error(
                    response,
                    callback,
                    ErrorReason.OVERLOADED,
                    "too many " + lane.name() + " requests waiting; retry" + " after a second");
        }
        return true;
    }

    static boolean failed(CodeResult.Failed f, Response response, Callback callback) {
        if (f.reason() == ErrorReason.UNAVAILABLE) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        return error(response, callback, f.reason(), f.message());
    }

    static boolean methodNotAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put(HttpHeader.ALLOW, allowed);
        return error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only " + allowed + " is supported");
    }

    static boolean error(Response response, Callback callback, ErrorReason reason, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", reason.code());
        body.put("message", message);
        return write(
                response, callback, reason.httpStatus(), JSON, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static boolean write(Response response, Callback callback, int status, String contentType, byte[] body) {
        return write(response, callback, status, contentType, body, "no-store");
    }

    /** {@code cacheControl}: no-store for codes and verdicts; no-cache (store, revalidate by ETag) for the list. */
    static boolean write(
            Response response, Callback callback, int status, String contentType, byte[] body, String cacheControl) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
