package org.healthcode.risk.contacts;

import java.util.Locale;
import java.util.Optional;

/** Which contact rule of DESIGN §3 found an exposure; the wire name is the lower-case constant name. */
public enum ExposureKind {
    /** Spatio-temporal companion: shared a grid cell with a case's phone (yellow, like a companion). */
    COMPANION,
    /** Scanned into the same venue as a case within the venue window (yellow, as companion). */
    VENUE_CO_VISIT,
    /** Same flight within the row window, same carriage of a sealed train, or the same bus (close contact, degree 1). */
    SAME_VEHICLE_CLOSE,
    /** The rest of the case's flight or sealed train (yellow, as companion). */
    SAME_VEHICLE_REST;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ExposureKind> fromWire(String name) {
        for (ExposureKind k : values()) {
            if (k.wireName().equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
