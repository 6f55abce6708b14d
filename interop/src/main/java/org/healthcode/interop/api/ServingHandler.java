package org.healthcode.interop.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.contracts.status.StatusJson;
import org.healthcode.interop.federation.FederatedStatus;
import org.healthcode.interop.http.AccessPolicy;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.Route;
import org.healthcode.interop.metrics.FollowerState;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.security.Caller;

/**
 * The HTTP surface of the serving process (Jetty core handler, no servlets): routes, load shedding, and the JSON and
 * Prometheus renderings. Lookups go to {@link StatusLookupService}.
 *
 * <ul>
 *   <li>{@code GET /v1/status/{personId}}: 200 with the full status JSON (roles app, operator), or only colour,
 *       since, validity and issuing region (roles checkpoint, region: {@link FederatedStatus}); otherwise an error body
 *       {@code {"error": code, "message": ...}} with the status of {@link ErrorReason};</li>
 *   <li>{@code GET /health}: 200 when the view is open and the consumer runs, else 503; the body has the lag,
 *       the number of partitions followed (0 while the topic does not exist: healthy but serving nothing) and each
 *       follower's state; {@code status} is {@code degraded} while a follower retries (a broker outage);</li>
 *   <li>{@code GET /metrics}: Prometheus text.</li>
 * </ul>
 *
 * <p>Load shedding happens before this handler, in {@link LookupAdmission} (a bounded queue with a deadline: 503
 * {@code overloaded} with {@code Retry-After: 1} for what it cannot admit); this handler only counts the lookups in
 * flight for the gauge. Health and metrics are never shed: operators need them most when the service is overloaded.
 */
public final class ServingHandler extends Handler.Abstract {
    /**
     * What {@code /health} reports: {@code ok}; {@code degraded} (still 200: the view answers what it holds) while
     * a follower retries after a failure, e.g. during a broker outage; {@code unavailable} (503) when the view is
     * closed or its consumer stopped for good.
     */
    public record Health(
            boolean viewOpen,
            boolean consumerRunning,
            int partitions,
            long consumerLag,
            java.util.List<FollowerState.View> followers) {
        public Health(boolean viewOpen, boolean consumerRunning, int partitions, long consumerLag) {
            this(viewOpen, consumerRunning, partitions, consumerLag, java.util.List.of());
        }

        boolean healthy() {
            return viewOpen && consumerRunning;
        }

        String status() {
            if (!healthy()) {
                return "unavailable";
            }
            return followers.stream().allMatch(FollowerState.View::up) ? "ok" : "degraded";
        }
    }

    static final String STATUS_PREFIX = "/v1/status/";
    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Header fields encoded once, not per response. */
    private static final HttpField JSON_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, JSON);

    private static final HttpField NO_STORE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

    private final StatusLookupService lookups;
    private final ServingMetrics metrics;
    private final Supplier<Health> health;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Codes, checkpoints and their pages (each answers its own routes); null: those paths are not served. */
    private final Handler codes;

    public ServingHandler(StatusLookupService lookups, ServingMetrics metrics, Supplier<Health> health) {
        this(lookups, metrics, health, null);
    }

    public ServingHandler(StatusLookupService lookups, ServingMetrics metrics, Supplier<Health> health, Handler codes) {
        this.codes = codes;
        this.lookups = lookups;
        this.metrics = metrics;
        this.health = health;
    }

    /** How checkpoints and other regions are answered (this region's code and the answers' validity). */
    private volatile FederatedStatus federated = FederatedStatus.DEFAULT;

    /** Sets how checkpoints and other regions are answered; returns this handler. */
    public ServingHandler federatedAs(FederatedStatus federatedStatus) {
        this.federated = federatedStatus;
        return this;
    }

    /** Lookups being handled now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Route.of(request);
        boolean get = "GET".equals(request.getMethod());
        if (route == Route.STATUS) {
            if (!get) {
                return methodNotAllowed(response, callback);
            }
            inFlight.incrementAndGet();
            // from the request's arrival (admission queue included) until the response is fully written
            long began = request.getBeginNanoTime();
            Callback release = Callback.from(callback, () -> {
                inFlight.decrementAndGet();
                metrics.recordLookupDuration(System.nanoTime() - began);
            });
            try {
                return status(
                        (Caller) request.getAttribute(Caller.ATTRIBUTE),
                        Request.getPathInContext(request).substring(STATUS_PREFIX.length()),
                        response,
                        release);
            } catch (RuntimeException e) {
                release.failed(e);
                return true;
            }
        }
        if (codes != null && codes.handle(request, response, callback)) {
            return true;
        }
        if (route == Route.HEALTH) {
            return get ? health(response, callback) : methodNotAllowed(response, callback);
        }
        if (route == Route.METRICS) {
            return get
                    ? write(response, callback, 200, PROMETHEUS, metrics.render())
                    : methodNotAllowed(response, callback);
        }
        return error(
                response,
                callback,
                ErrorReason.NOT_FOUND,
                "no such resource: GET /v1/status/{personId}, " + "/health or /metrics");
    }

    /** Answers when the lookup's audit record is durable, from whichever thread learns it (no thread waits). */
    private boolean status(Caller caller, String personId, Response response, Callback callback) {
        lookups.lookupAsync(caller, personId).whenComplete((result, failure) -> {
            if (failure != null) {
                callback.failed(failure);
            } else {
                try {
                    answer(caller, personId, result, response, callback);
                } catch (RuntimeException e) {
                    callback.failed(e);
                }
            }
        });
        return true;
    }

    private boolean answer(Caller caller, String personId, LookupResult result, Response response, Callback callback) {
        if (result instanceof LookupResult.Found found) {
            // checkpoints and other regions see colour, since, validity and issuing region only (AccessPolicy)
            if (caller != null && AccessPolicy.seesMinimalStatus(caller.role())) {
                return write(
                        response, callback, 200, JSON, StatusJson.toLine(federated.render(personId, found.status())));
            }
            return write(response, callback, 200, JSON, StatusJson.fullBytes(found.status()));
        }
        LookupResult.Failed failed = (LookupResult.Failed) result;
        if (failed.reason() == ErrorReason.UNAVAILABLE || failed.reason() == ErrorReason.VIEW_STALE) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        return error(response, callback, failed.reason(), failed.message());
    }

    private boolean health(Response response, Callback callback) {
        Health h = health.get();
        ObjectNode body = MAPPER.createObjectNode();
        body.put("status", h.status());
        body.put("viewOpen", h.viewOpen());
        body.put("consumerRunning", h.consumerRunning());
        body.put("partitions", h.partitions());
        body.put("consumerLag", h.consumerLag());
        ObjectNode followers = body.putObject("followers");
        for (FollowerState.View f : h.followers()) {
            ObjectNode n = followers.putObject(f.name());
            n.put("up", f.up());
            if (!f.up()) {
                n.put("failingSince", f.failingSince().toString());
                n.put("lastError", f.lastError());
            }
        }
        return write(response, callback, h.healthy() ? 200 : 503, JSON, body.toString());
    }

    private boolean methodNotAllowed(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET");
        return error(response, callback, ErrorReason.METHOD_NOT_ALLOWED, "only GET is supported");
    }

    private static boolean error(Response response, Callback callback, ErrorReason reason, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", reason.code());
        body.put("message", message);
        return write(response, callback, reason.httpStatus(), JSON, body.toString());
    }

    private static boolean write(Response response, Callback callback, int status, String contentType, String body) {
        return write(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean write(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders()
                .put(contentType == JSON ? JSON_TYPE : new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, contentType));
        response.getHeaders().put(NO_STORE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
