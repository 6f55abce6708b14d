package org.healthcode.risk.rules;

import java.util.Locale;
import java.util.Optional;

/** The stable reason codes of DESIGN §3, one per condition (documented in docs/reason-codes.md). */
public enum ReasonCode {
    CONFIRMED,
    ASYMPTOMATIC,
    POSITIVE_TEST,
    SUSPECTED,
    POOLED_POSITIVE,
    CLOSE_CONTACT,
    CONTACT_OF_CONTACT,
    INBOUND,
    HIGH_RISK_AREA,
    MEDIUM_RISK_AREA,
    COMPANION,
    VENUE_CO_VISIT,
    SAME_VEHICLE,
    SAME_VEHICLE_REST,
    FEVER_CLINIC,
    /** The person declared a fever (symptom or temperature) in a health declaration; as a fever-clinic visit. */
    DECLARED_FEVER,
    MISSED_TEST,
    /** Another region pushed the person as red or yellow (区域协查, interop feed); matched by national pseudonym. */
    CROSS_REGION_RISK,
    OVERRIDE;

    /** The code as it appears in statuses and rule files, e.g. {@code close_contact}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ReasonCode> fromWire(String name) {
        for (ReasonCode r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
