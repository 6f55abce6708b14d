package org.healthcode.risk.rules;

import java.io.Serializable;
import java.util.List;

/**
 * The parameters of one condition: the colour held while it waits for the event that anchors its phases
 * (null when the phases run from the start, e.g. a close contact's exposure), its phases, then its exit requirement.
 *
 * <p>Example: confirmed infection = hold red until a discharge, then red 336 h, yellow 336 h, then a negative test
 * sampled after the discharge.
 */
public record ConditionRule(Colour holdColour, List<Phase> phases, ExitRequirement exit) implements Serializable {

    public ConditionRule {
        phases = List.copyOf(phases);
    }

    /** Total length of the phases in milliseconds. */
    public long phasesMillis() {
        long sum = 0;
        for (Phase p : phases) {
            sum += p.millis();
        }
        return sum;
    }

    /** The most severe colour this condition can give. */
    public Colour worstColour() {
        Colour worst = holdColour == null ? Colour.GREEN : holdColour;
        for (Phase p : phases) {
            if (p.colour().moreSevereThan(worst)) {
                worst = p.colour();
            }
        }
        return worst;
    }
}
