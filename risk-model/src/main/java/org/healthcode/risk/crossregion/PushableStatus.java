package org.healthcode.risk.crossregion;

import java.util.List;
import org.healthcode.contracts.exchange.ReasonCategories;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.rules.ReasonCode;

/**
 * What {@link ExchangeTrigger} keeps of a person's current status while it is worth pushing (red or yellow for a
 * reason of this region, with a national pseudonym).
 *
 * @param nationalId the person's national pseudonym
 * @param colour red or yellow
 * @param reasonCategory category of the condition that gives the colour
 * @param sinceMs since when the person has had the colour
 * @param effectiveMs event time of the status
 */
public record PushableStatus(String nationalId, String colour, String reasonCategory, long sinceMs, long effectiveMs) {
    /**
     * The reason category of the first condition (most severe first) that gives {@code colour}, or null when only
     * records of other regions give it: those are theirs to push, and pushing them on would echo them back and forth.
     */
    public static String category(List<ConditionView> conditions, String colour) {
        for (ConditionView c : conditions) {
            if (c.colour().equals(colour) && !c.reason().equals(ReasonCode.CROSS_REGION_RISK.wireName())) {
                return ReasonCategories.of(c.reason());
            }
        }
        return null;
    }
}
