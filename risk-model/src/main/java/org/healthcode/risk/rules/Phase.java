package org.healthcode.risk.rules;

import java.io.Serializable;

/**
 * One phase of a condition: a colour held for a duration in event time (7 d = 168 h exactly).
 * A zero-hour phase only names the colour the condition keeps while it waits for its exit requirement.
 */
public record Phase(Colour colour, long hours) implements Serializable {
    public long millis() {
        return hours * 3_600_000L;
    }
}
