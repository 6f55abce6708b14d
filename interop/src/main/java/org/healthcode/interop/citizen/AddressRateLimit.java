package org.healthcode.interop.citizen;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Request;

/**
 * Requests per minute per client address, for endpoints anyone may call without an account (the self-check): token
 * buckets of {@code perMinute} that refill continuously, bursts up to a minute's worth. Buckets of addresses quiet
 * for a minute are dropped once more than {@value #MAX_TRACKED} are held. Behind a proxy every request comes from
 * the proxy's address: limit there instead.
 */
public final class AddressRateLimit {
    static final int MAX_TRACKED = 100_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    public AddressRateLimit(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** 0 when a request from {@code request}'s address is admitted now, else the whole seconds to wait. */
    public long admit(Request request) {
        return admit(addressOf(request));
    }

    long admit(String address) {
        long now = clock.millis();
        if (buckets.size() > MAX_TRACKED) {
            buckets.values().removeIf(b -> now - (long) b[1] > 60_000);
        }
        // b[0]: tokens, b[1]: last refill (ms)
        double[] b = buckets.computeIfAbsent(address, a -> new double[] {perMinute, now});
        synchronized (b) {
            if (now > b[1]) {
                b[0] = Math.min(perMinute, b[0] + (now - b[1]) * perMinute / 60_000.0);
                b[1] = now;
            }
            if (b[0] >= 1) {
                b[0] -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b[0]) * 60.0 / perMinute));
        }
    }

    private static String addressOf(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(remote);
    }
}
