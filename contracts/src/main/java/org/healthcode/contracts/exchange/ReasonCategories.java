package org.healthcode.contracts.exchange;

import java.util.Set;

/**
 * The reason category another region may learn (docs/interop.md): what kind of risk, without the reason or its events,
 * which stay in the issuing region. The job's pushes and the serving process's notices both take it from here.
 */
public final class ReasonCategories {
    public static final String INFECTION = "infection";
    public static final String CONTACT = "contact";
    public static final String RISK_AREA = "risk_area";
    public static final String OTHER = "other";
    /** Every category a notice may carry. */
    public static final Set<String> ALL = Set.of(INFECTION, CONTACT, RISK_AREA, OTHER);

    private ReasonCategories() {}

    /** The category of a reason code (docs/reason-codes.md); {@value #OTHER} for any code not listed. */
    public static String of(String reason) {
        return switch (reason) {
            case "confirmed", "asymptomatic", "positive_test", "suspected", "pooled_positive" -> INFECTION;
            case "close_contact",
                    "contact_of_contact",
                    "companion",
                    "venue_co_visit",
                    "same_vehicle",
                    "same_vehicle_rest" -> CONTACT;
            case "high_risk_area", "medium_risk_area" -> RISK_AREA;
            default -> OTHER;
        };
    }
}
