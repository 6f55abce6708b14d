package org.healthcode.risk.crossregion;

import java.util.List;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.rules.ReasonCode;

/** The reason category another region may learn (docs/interop.md) for the condition that gives a status its colour. */
public final class ReasonCategories {
    private ReasonCategories() {}

    public static String of(String reason) {
        return switch (reason) {
            case "confirmed", "asymptomatic", "positive_test", "suspected", "pooled_positive" -> "infection";
            case "close_contact", "contact_of_contact", "companion", "venue_co_visit", "same_vehicle",
                 "same_vehicle_rest" -> "contact";
            case "high_risk_area", "medium_risk_area" -> "risk_area";
            default -> "other";
        };
    }

    /**
     * The category of the first condition (most severe first) that gives {@code colour}, or null when only records
     * of other regions give it: those are theirs to push, and pushing them on would echo them back and forth.
     */
    public static String pushable(List<ConditionView> conditions, String colour) {
        for (ConditionView c : conditions) {
            if (c.colour().equals(colour) && !c.reason().equals(ReasonCode.CROSS_REGION_RISK.wireName())) {
                return of(c.reason());
            }
        }
        return null;
    }
}
