package org.healthcode.codes.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A region's keys: the one that signs now, the next one (already published, so checkpoints trust it before it signs)
 * and previous ones kept while codes they signed can still be unexpired.
 */
public record KeyRing(String region, RegionKey current, RegionKey next, List<RegionKey> previous) {
    public KeyRing {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        previous = List.copyOf(previous);
    }

    /**
     * Promotes next to current, retires current at {@code now} and adds {@code newNext}.
     * Previous keys whose codes have all expired ({@code notAfter + maxCodeLifetime} passed) are dropped.
     */
    public KeyRing rotate(Instant now, RegionKey newNext, Duration maxCodeLifetime) {
        List<RegionKey> kept = new ArrayList<>();
        for (RegionKey k : previous) {
            if (!k.notAfter().plus(maxCodeLifetime).isBefore(now)) {
                kept.add(k);
            }
        }
        kept.add(current.retiredAt(now));
        return new KeyRing(region, next, newNext, kept);
    }

    /**
     * The ring without the key {@code kid} (base64 or hex), for good: a compromised key. A previous key is dropped;
     * the current one is replaced by next (which {@code fresh} replaces) and not kept as previous; next is replaced
     * by {@code fresh}. Codes the key signed stop verifying once verifiers load a trust list without it.
     */
    public KeyRing withdraw(String kid, Instant now, RegionKey fresh, Duration maxCodeLifetime) {
        if (matches(current, kid)) {
            KeyRing rotated = rotate(now, fresh, maxCodeLifetime);
            List<RegionKey> kept = new ArrayList<>(rotated.previous());
            kept.removeIf(k -> matches(k, kid));
            return new KeyRing(region, rotated.current(), rotated.next(), kept);
        }
        if (matches(next, kid)) {
            return new KeyRing(region, current, fresh, previous);
        }
        List<RegionKey> kept = new ArrayList<>(previous);
        if (!kept.removeIf(k -> matches(k, kid))) {
            throw new IllegalArgumentException("no key " + kid + " in the ring of region " + region);
        }
        return new KeyRing(region, current, next, kept);
    }

    private static boolean matches(RegionKey k, String kid) {
        return k.kidBase64().equals(kid) || k.kidHex().equalsIgnoreCase(kid);
    }

    /** Every key a verifier needs: previous, current, next. */
    public List<RegionKey> published() {
        List<RegionKey> all = new ArrayList<>(previous);
        all.add(current);
        all.add(next);
        return all;
    }

    public String roleOf(RegionKey key) {
        if (key == current) {
            return "current";
        }
        return key == next ? "next" : "previous";
    }
}
