package org.healthcode.codes.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.keys.RegionKey;

/** Builds this region's trust list from its key ring: previous, current and next public keys. */
public final class TrustListPublisher {
    /** Checkpoints may verify offline this long from the last list they fetched. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);

    private TrustListPublisher() {}

    public static TrustList publish(KeyRing ring, Instant now, Duration validity) {
        List<TrustListKey> keys = new ArrayList<>();
        for (RegionKey k : ring.published()) {
            keys.add(new TrustListKey(
                    k.kidBase64(),
                    k.algorithm().jsonName(),
                    Base64.getEncoder().encodeToString(k.publicKey().getEncoded()),
                    k.notBefore(),
                    k.notAfter(),
                    List.of(TrustListKey.USAGE_HEALTH_CODE),
                    ring.roleOf(k)));
        }
        return new TrustList(ring.region(), now, now.plus(validity), keys, Optional.empty());
    }
}
