package org.healthcode.risk.rules;

import java.util.List;
import org.healthcode.risk.events.ConditionView;

/** A person's colour at one instant and the active conditions behind it, most severe first. */
public record Assessment(Colour colour, List<ConditionView> conditions) {

    /** A stable 64-bit hash (FNV-1a) of everything a status shows, used to emit only on change. */
    public long fingerprint(String ruleVersion) {
        StringBuilder sb = new StringBuilder(colour.wireName()).append('|').append(ruleVersion);
        for (ConditionView c : conditions) {
            sb.append('|')
                    .append(c.reason())
                    .append(',')
                    .append(c.colour())
                    .append(',')
                    .append(c.cause())
                    .append(',')
                    .append(c.startMs())
                    .append(',')
                    .append(c.phaseEndMs())
                    .append(',')
                    .append(c.endsWith());
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < sb.length(); i++) {
            h ^= sb.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
