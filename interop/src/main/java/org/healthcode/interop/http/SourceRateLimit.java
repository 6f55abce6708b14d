package org.healthcode.interop.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.healthcode.interop.metrics.ServingMetrics;

/**
 * A request rate per source address, in front of authentication and of the lookup admission queue: whoever sends
 * without credentials (or with wrong ones) is limited by where they send from before they cost a key check, an
 * admission slot or an audit record, so anonymous traffic from one address cannot crowd out real lookups. Token
 * buckets of {@code perSecond} with bursts of one second's worth; beyond, 429 {@code rate_limited} with
 * {@code Retry-After}, counted, never audited. {@code /health} and {@code /metrics} are not limited.
 *
 * <p>Behind a proxy every request comes from the proxy's address: set the limit to 0 (off) there and limit at the
 * proxy. Buckets of addresses that went quiet are dropped once more than {@value #MAX_TRACKED} are held.
 */
public final class SourceRateLimit extends Handler.Wrapper {
    static final int MAX_TRACKED = 100_000;

    private final int perSecond;
    private final Clock clock;
    private final ServingMetrics metrics;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond} 0: no limit (the handler only passes requests on). */
    public SourceRateLimit(Handler next, int perSecond, ServingMetrics metrics, Clock clock) {
        super(next);
        this.perSecond = perSecond;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (perSecond <= 0 || path.equals("/health") || path.equals("/metrics")) {
            return super.handle(request, response, callback);
        }
        long wait = admit(addressOf(request));
        if (wait == 0) {
            return super.handle(request, response, callback);
        }
        metrics.recordAccessRefused("rate_limited_address");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(wait));
        return JsonResponses.error(
                response,
                callback,
                ErrorReason.RATE_LIMITED,
                "too many requests from this address; retry after " + wait + " s");
    }

    /** 0 when a request from {@code address} is admitted now, else the whole seconds to wait. */
    long admit(String address) {
        long now = clock.millis();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> b.idleSince(now) > 10_000);
        }
        return buckets.computeIfAbsent(address, a -> new Bucket(perSecond)).take(now, perSecond);
    }

    private static String addressOf(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(remote);
    }

    /** Tokens refill continuously at {@code rate} per second up to {@code rate}. */
    private static final class Bucket {
        private double tokens;
        private long lastMs = -1;

        Bucket(int rate) {
            this.tokens = rate;
        }

        synchronized long idleSince(long nowMs) {
            return nowMs - lastMs;
        }

        synchronized long take(long nowMs, int rate) {
            if (lastMs >= 0 && nowMs > lastMs) {
                tokens = Math.min(rate, tokens + (nowMs - lastMs) * rate / 1000.0);
            }
            lastMs = Math.max(lastMs, nowMs);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
        }
    }
}
