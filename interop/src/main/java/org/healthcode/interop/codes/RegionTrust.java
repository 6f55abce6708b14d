package org.healthcode.interop.codes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.interop.trust.TrustListClient;

/**
 * This region's published trust list and the trust store built from it, re-published when the key ring changes
 * (rotation) or when the published list has used up a tenth of its validity. Between those, every request sees the
 * same document, so its ETag holds and checkpoints can fetch with {@code If-None-Match}.
 *
 * <p>{@link #verificationStore()} is what {@code POST /v1/verify} checks against: this region's own keys plus every
 * other region's keys from the national trust list (hub-verified by {@link TrustListClient}), so a checkpoint of this
 * region accepts a visitor's code from another region. A national list past its expiry still contributes its keys,
 * which then verify nothing and answer {@code trust_list_expired}; with no national list at all, other regions' codes
 * are {@code unknown_key}.
 */
public final class RegionTrust {
    /** One publication: the list, its JSON, its ETag, and a store to verify against it. */
    public record Published(KeyRing ring, TrustList list, String json, String etag, TrustStore store) {}

    /** The store for verifying: own list plus the national list's other regions, rebuilt when either changes. */
    private record Verifying(Published own, TrustListClient.Current national, TrustStore store) {}

    private final RegionCodes codes;
    private final Clock clock;
    private final Optional<TrustListClient> national;
    private final AtomicReference<Published> current = new AtomicReference<>();
    private final AtomicReference<Verifying> verifying = new AtomicReference<>();

    public RegionTrust(RegionCodes codes, Clock clock) {
        this(codes, clock, Optional.empty());
    }

    /** With {@code national}: the national trust list this region keeps (absent when no hub is configured). */
    public RegionTrust(RegionCodes codes, Clock clock, Optional<TrustListClient> national) {
        this.codes = codes;
        this.clock = clock;
        this.national = national;
    }

    /** Keys to verify codes with: this region's, and other regions' from the national list. */
    public TrustStore verificationStore() {
        Published own = current();
        TrustListClient.Current nat =
                national.flatMap(TrustListClient::lastVerified).orElse(null);
        Verifying v = verifying.get();
        if (v == null || v.own() != own || v.national() != nat) {
            v = new Verifying(own, nat, storeOf(own, nat));
            verifying.set(v);
        }
        return v.store();
    }

    private TrustStore storeOf(Published own, TrustListClient.Current nat) {
        if (nat == null) {
            return own.store();
        }
        List<TrustList> lists = new ArrayList<>();
        lists.add(own.list());
        for (TrustList l : nat.bundle().lists()) {
            // this region's own keys come from its key ring, which is never older than what the hub republished
            if (!l.region().equals(own.list().region())) {
                lists.add(l);
            }
        }
        try {
            // the hub signatures were checked when the national list was loaded (TrustListClient)
            return TrustStore.of(lists, codes.crypto(), List.of());
        } catch (TrustListException e) {
            throw new IllegalStateException(
                    "the national trust list does not load beside this region's: " + e.getMessage(), e);
        }
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
        return list.issuedAt()
                .plus(Duration.between(list.issuedAt(), list.expiresAt()).dividedBy(10));
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
