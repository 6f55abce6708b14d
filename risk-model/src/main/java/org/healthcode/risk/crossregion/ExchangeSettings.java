package org.healthcode.risk.crossregion;

import java.io.Serializable;
import java.time.Duration;

/**
 * The automatic risk-person exchange of the live job: this region's code, the directory of the others, how long
 * after a stay elsewhere the person counts as being there, and how long a pushed record holds unless renewed.
 *
 * @param ownRegion this region's GB/T 2260 code (as the directory names it)
 * @param directory the region of each area code
 * @param presenceMs a stay elsewhere (carrier city stay end, trip arrival, hotel check-out) counts this long after
 * @param validityMs expiry of a pushed record after the moment it is decided; renewed at half of it
 */
public record ExchangeSettings(String ownRegion, RegionDirectory directory, long presenceMs, long validityMs)
        implements Serializable {
    public static final Duration DEFAULT_PRESENCE = Duration.ofDays(7);
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(14);

    public static ExchangeSettings of(String ownRegion, RegionDirectory directory) {
        return new ExchangeSettings(ownRegion, directory, DEFAULT_PRESENCE.toMillis(), DEFAULT_VALIDITY.toMillis());
    }
}
