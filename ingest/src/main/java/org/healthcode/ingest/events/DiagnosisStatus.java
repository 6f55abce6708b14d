package org.healthcode.ingest.events;

import java.util.Locale;
import java.util.Optional;

/** The values of a diagnosis event's {@code status}. */
public enum DiagnosisStatus {
    CONFIRMED,
    ASYMPTOMATIC,
    SUSPECTED,
    DISCHARGED,
    CLEARED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DiagnosisStatus> fromWire(String name) {
        for (DiagnosisStatus d : values()) {
            if (d.wireName().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
