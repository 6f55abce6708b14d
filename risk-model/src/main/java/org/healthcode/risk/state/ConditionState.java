package org.healthcode.risk.state;

import java.util.List;
import org.healthcode.risk.events.CrossRegionTerms;
import org.healthcode.risk.events.OverrideTerms;

/**
 * One active condition of a person as kept in keyed state.
 *
 * <p>End of life: removed from {@link PersonState} when its last phase has ended and its exit requirement is met,
 * or when an ending event (e.g. a {@code cleared} diagnosis, or a confirmed diagnosis taking over) arrives.
 *
 * @param reason reason code (wire name)
 * @param cause ids of the events that caused it, oldest first (at most {@link #MAX_CAUSES})
 * @param startMs when it started, event time
 * @param anchorMs when its phases start counting (exposure, discharge, ...); {@link #NO_ANCHOR} while it holds
 *     its colour waiting for that event
 * @param exitAfterMs tests sampled after this count towards the exit requirement
 * @param countingTests sampling times (ascending) of tests that count towards the exit (at most {@link #MAX_TESTS})
 * @param override the terms of a reviewed manual override (reason {@code override} only; null otherwise)
 * @param crossRegion what another region pushed (reason {@code cross_region_risk} only, one condition per issuing
 *     region; null otherwise)
 */
public record ConditionState(
        String reason,
        List<String> cause,
        long startMs,
        long anchorMs,
        long exitAfterMs,
        List<Long> countingTests,
        OverrideTerms override,
        CrossRegionTerms crossRegion) {

    public static final long NO_ANCHOR = Long.MIN_VALUE;
    public static final int MAX_CAUSES = 10;
    public static final int MAX_TESTS = 8;

    public ConditionState {
        cause = List.copyOf(cause);
        countingTests = List.copyOf(countingTests);
    }

    /** A computed condition or an override. */
    public ConditionState(
            String reason,
            List<String> cause,
            long startMs,
            long anchorMs,
            long exitAfterMs,
            List<Long> countingTests,
            OverrideTerms override) {
        this(reason, cause, startMs, anchorMs, exitAfterMs, countingTests, override, null);
    }

    /** A computed condition (every reason but {@code override} and {@code cross_region_risk}). */
    public ConditionState(
            String reason,
            List<String> cause,
            long startMs,
            long anchorMs,
            long exitAfterMs,
            List<Long> countingTests) {
        this(reason, cause, startMs, anchorMs, exitAfterMs, countingTests, null);
    }

    public boolean isOverride() {
        return override != null;
    }

    public boolean isCrossRegion() {
        return crossRegion != null;
    }

    public boolean anchored() {
        return anchorMs != NO_ANCHOR;
    }
}
