package org.healthcode.interop.trust;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.trust.TrustStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a verified copy of the national trust bundle: fetches it (with {@code If-None-Match}), checks the hub
 * signature on the bundle and on every list before using anything in it, refuses a serial lower than the one it has
 * (no rollback to a list with a withdrawn key), writes the last good copy to disk ({@code bundle.json}, plus one
 * hub-signed file per region under {@code lists/} for {@code ./healthcode verify --hub-key}), and warns when the
 * copy it holds expires soon. A failed refresh keeps the last good copy; an expired copy verifies nothing.
 *
 * <p>Used by a region (from the hub) and by a checkpoint (from its region's {@code /v1/trust-list/national}).
 */
public final class TrustListClient {
    private static final Logger LOG = LoggerFactory.getLogger(TrustListClient.class);

    /** The verified bundle in use and the trust store built from it. */
    public record Current(TrustBundle bundle, TrustStore store, String etag) {}

    /** What one refresh did. */
    public enum Outcome {
        UPDATED,
        NOT_MODIFIED,
        REJECTED,
        UNREACHABLE
    }

    private final URI url;
    private final HttpClient http;
    private final PublicKey hubKey;
    private final CoseCrypto crypto;
    private final Path dir;
    private final Duration warnBefore;
    private final Clock clock;
    private final AtomicReference<Current> current = new AtomicReference<>();

    public TrustListClient(
            URI url, HttpClient http, PublicKey hubKey, CoseCrypto crypto, Path dir, Duration warnBefore, Clock clock) {
        this.url = url;
        this.http = http;
        this.hubKey = hubKey;
        this.crypto = crypto;
        this.dir = dir;
        this.warnBefore = warnBefore;
        this.clock = clock;
        loadLastGood();
    }

    /** The bundle in use, if one verified and has not expired. */
    public Optional<Current> current() {
        Current c = current.get();
        if (c == null || c.bundle().expiredAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /**
     * The last bundle that verified, even past its expiry (a verifier then answers {@code trust_list_expired} for
     * its keys rather than {@code unknown_key}); empty when none ever did.
     */
    public Optional<Current> lastVerified() {
        return Optional.ofNullable(current.get());
    }

    /** Fetches the bundle once; never throws. */
    public synchronized Outcome refresh() {
        Current held = current.get();
        try {
            HttpRequest.Builder req =
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET();
            if (held != null && held.etag() != null) {
                req.header("If-None-Match", held.etag());
            }
            HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 304) {
                warnIfExpiring();
                return Outcome.NOT_MODIFIED;
            }
            if (resp.statusCode() != 200) {
                LOG.warn("trust list refresh from {}: HTTP {}; keeping the last good copy", url, resp.statusCode());
                warnIfExpiring();
                return Outcome.UNREACHABLE;
            }
            Current fresh =
                    verify(resp.body(), resp.headers().firstValue("ETag").orElse(null));
            if (held != null && fresh.bundle().serial() < held.bundle().serial()) {
                throw new TrustListException("serial " + fresh.bundle().serial() + " is older than the one held, "
                        + held.bundle().serial());
            }
            save(resp.body(), fresh.bundle());
            current.set(fresh);
            warnIfExpiring();
            return Outcome.UPDATED;
        } catch (TrustListException e) {
            LOG.error("trust list from {} rejected, keeping the last good copy: {}", url, e.getMessage());
            return Outcome.REJECTED;
        } catch (IOException e) {
            LOG.warn("trust list refresh from {} failed: {}; keeping the last good copy", url, e.toString());
            warnIfExpiring();
            return Outcome.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.UNREACHABLE;
        }
    }

    private Current verify(String json, String etag) throws TrustListException {
        TrustBundle b = TrustBundle.parse(json);
        b.verify(hubKey, crypto);
        if (b.expiredAt(clock.instant())) {
            throw new TrustListException("trust bundle " + b.serial() + " expired at " + b.expiresAt());
        }
        TrustStore store = TrustStore.of(b.lists(), crypto, List.of(hubKey));
        return new Current(b, store, etag);
    }

    private void warnIfExpiring() {
        Current c = current.get();
        if (c == null) {
            LOG.warn("no usable national trust list: codes of other regions cannot be verified");
        } else if (clock.instant().plus(warnBefore).isAfter(c.bundle().expiresAt())) {
            LOG.warn(
                    "the national trust list (serial {}) expires at {}: refresh it before then",
                    c.bundle().serial(),
                    c.bundle().expiresAt());
        }
    }

    private void save(String json, TrustBundle b) throws IOException {
        Files.createDirectories(dir.resolve("lists"));
        Path tmp = dir.resolve("bundle.json.tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, dir.resolve("bundle.json"), StandardCopyOption.REPLACE_EXISTING);
        for (TrustList l : b.lists()) {
            TrustListJson.write(l, dir.resolve("lists").resolve(l.region() + ".json"));
        }
    }

    private void loadLastGood() {
        Path f = dir.resolve("bundle.json");
        if (!Files.exists(f)) {
            return;
        }
        try {
            current.set(verify(Files.readString(f), null));
            LOG.info(
                    "national trust list serial {} loaded from {}",
                    current.get().bundle().serial(),
                    f);
        } catch (IOException | TrustListException e) {
            LOG.warn("the trust list on disk ({}) is not usable: {}", f, e.getMessage());
        }
    }

    /** The last good bundle's JSON as stored on disk, for serving to this region's checkpoints. */
    public Optional<String> lastGoodJson() {
        try {
            Path f = dir.resolve("bundle.json");
            return current().isPresent() && Files.exists(f) ? Optional.of(Files.readString(f)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
