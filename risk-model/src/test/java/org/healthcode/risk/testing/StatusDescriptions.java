package org.healthcode.risk.testing;

import java.time.Instant;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.StatusChange;

/** A status as one comparable line: colour, since, and each condition with its times, causes and end. */
public final class StatusDescriptions {
    private StatusDescriptions() {}

    public static String describe(StatusChange s) {
        StringBuilder b = new StringBuilder(s.colour()).append(" since ").append(Instant.ofEpochMilli(s.sinceMs()));
        for (ConditionView c : s.conditions()) {
            b.append(" | ")
                    .append(c.reason())
                    .append(' ')
                    .append(c.colour())
                    .append(" start ")
                    .append(Instant.ofEpochMilli(c.startMs()))
                    .append(" phase end ")
                    .append(c.phaseEndMs())
                    .append(" causes ")
                    .append(c.cause())
                    .append(" ends with ")
                    .append(c.endsWith());
        }
        return b.toString();
    }
}
