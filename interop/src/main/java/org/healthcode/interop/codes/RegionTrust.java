package org.healthcode.interop.codes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.trust.TrustStore;

/**
 * This region's published trust list and the trust store built from it, re-published when the key ring changes
 * (rotation) or when the published list has used up a tenth of its validity. Between those, every request sees the
 * same document, so its ETag holds and checkpoints can fetch with {@code If-None-Match}.
 */
public final class RegionTrust {
    /** One publication: the list, its JSON, its ETag, and a store to verify against it. */
    public record Published(KeyRing ring, TrustList list, String json, String etag, TrustStore store) {}

    private final RegionCodes codes;
    private final Clock clock;
    private final AtomicReference<Published> current = new AtomicReference<>();

    public RegionTrust(RegionCodes codes, Clock clock) {
        this.codes = codes;
        this.clock = clock;
    }

    public Published current() {
        Instant now = clock.instant();
        Published p = current.get();
        if (p == null || p.ring() != codes.keyRing() || now.isAfter(republishAt(p.list()))) {
            p = publish(now);
            current.set(p);
        }
        return p;
    }

    private static Instant republishAt(TrustList list) {
        return list.issuedAt().plus(Duration.between(list.issuedAt(), list.expiresAt()).dividedBy(10));
    }

    private Published publish(Instant now) {
        KeyRing ring = codes.keyRing();
        TrustList list = codes.trustList(now);
        String json = TrustListJson.write(list);
        try {
            TrustStore store = TrustStore.of(List.of(list), codes.crypto(), List.of());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            String etag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
            return new Published(ring, list, json, etag, store);
        } catch (TrustListException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("this region's own trust list does not load: " + e.getMessage(), e);
        }
    }
}
