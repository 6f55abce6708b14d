package org.healthcode.interop.trust;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.keys.RegionKey;
import org.healthcode.codes.trust.TrustList;

/**
 * Registers this region's keys at the hub: its trust list (previous, current, next), signed with its current key,
 * optionally withdrawing key ids. Returns the hub's HTTP status and body; 200 means the next bundle carries them.
 */
public final class HubRegistrar {
    /** The hub's answer. */
    public record Answer(int status, String body) {
        public boolean accepted() {
            return status == 200;
        }
    }

    private final URI hub;
    private final HttpClient http;

    public HubRegistrar(URI hub, HttpClient http) {
        this.hub = hub;
        this.http = http;
    }

    /** Registers {@code codes}' keys signed by its current key. */
    public Answer register(RegionCodes codes, Instant now) throws IOException, InterruptedException {
        return register(codes.trustList(now), List.of(), codes.keyRing().current(), codes);
    }

    /**
     * Registers {@code list} minus {@code withdraw}, withdrawing those key ids for good, signed by {@code signer}
     * (which must itself stay registered; e.g. the next key when the current one is compromised).
     */
    public Answer register(TrustList list, List<String> withdraw, RegionKey signer, RegionCodes codes)
            throws IOException, InterruptedException {
        TrustList kept = new TrustList(
                list.region(),
                list.issuedAt(),
                list.expiresAt(),
                list.keys().stream().filter(k -> !withdraw.contains(k.kid())).toList(),
                java.util.Optional.empty());
        KeyRegistration r = KeyRegistration.sign(kept, withdraw, signer, codes.crypto());
        HttpResponse<String> resp = http.send(
                HttpRequest.newBuilder(hub.resolve("/v1/trust-list/registrations"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(r.toJson()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(resp.statusCode(), resp.body());
    }
}
