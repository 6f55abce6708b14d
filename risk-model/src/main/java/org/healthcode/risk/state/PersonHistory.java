package org.healthcode.risk.state;

import java.util.List;
import org.healthcode.risk.events.PersonInput;

/**
 * What {@code PersonRiskFunction} keeps of a person's recent past so that an input arriving behind the watermark
 * (within the allowed lateness) is applied as if it had come in order: the conditions as of {@code baseMs}, the
 * colour and since then, and every input applied since, in (time, id) order. Replaying the inputs over the base
 * gives the current conditions; with the late input among them, the conditions, colour and since that in-order
 * processing gives.
 *
 * <p>End of life: inputs are folded into the base once the watermark is more than the allowed lateness past them
 * (no input that old can arrive any more); the whole entry goes when no input is left and the base has no condition.
 *
 * @param baseMs the instant the base conditions are advanced to
 * @param base the conditions as of {@code baseMs}
 * @param baseColour the colour as of {@code baseMs} (wire name)
 * @param baseSinceMs since when the person had that colour, as of {@code baseMs}
 * @param inputs the inputs applied after {@code baseMs}, in (time, id) order
 */
public record PersonHistory(
        long baseMs, List<ConditionState> base, String baseColour, long baseSinceMs, List<PersonInput> inputs) {

    public PersonHistory {
        base = List.copyOf(base);
        inputs = List.copyOf(inputs);
    }

    /** A person with no past: no condition, green, from the beginning of time. */
    public static PersonHistory empty() {
        return new PersonHistory(Long.MIN_VALUE, List.of(), "green", Long.MIN_VALUE, List.of());
    }

    public boolean isEmpty() {
        return base.isEmpty() && inputs.isEmpty();
    }
}
