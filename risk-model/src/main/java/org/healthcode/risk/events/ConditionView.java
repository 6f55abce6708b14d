package org.healthcode.risk.events;

import java.util.List;

/**
 * One active condition as a status shows it.
 *
 * @param reason reason code
 * @param colour the colour it gives now
 * @param cause ids of the events that caused it
 * @param startMs when it started (event time)
 * @param phaseEndMs when the current phase ends, 0 when it waits for an event
 * @param endsWith what ends it, in plain words
 */
public record ConditionView(
        String reason, String colour, List<String> cause, long startMs, long phaseEndMs, String endsWith) {

    public ConditionView {
        cause = List.copyOf(cause);
    }
}
