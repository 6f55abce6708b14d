package org.healthcode.risk.rules;

import java.io.Serializable;

/**
 * The requirement a condition must meet after its last phase; tests count when sampled after the condition's
 * exit anchor (its start, or e.g. the discharge for an infection).
 *
 * @param kind what is needed
 * @param minApartHours TWO_NEGATIVE_TESTS: minimum distance between the two samplings
 * @param maxApartHours TWO_NEGATIVE_TESTS: maximum distance (0 = unbounded), e.g. "within 3 d" for companions
 */
public record ExitRequirement(ExitKind kind, long minApartHours, long maxApartHours) implements Serializable {

    public static ExitRequirement none() {
        return new ExitRequirement(ExitKind.NONE, 0, 0);
    }

    public static ExitRequirement of(ExitKind kind) {
        return new ExitRequirement(kind, 0, 0);
    }

    /** True when a test of this shape counts towards this requirement at all. */
    public boolean counts(boolean positive, boolean pooled) {
        return switch (kind) {
            case NONE -> false;
            case NEGATIVE_TEST, TWO_NEGATIVE_TESTS -> !positive;
            case NEGATIVE_SINGLE_TUBE -> !positive && !pooled;
            case ANY_TEST -> true;
        };
    }

    /**
     * The earliest time at which the requirement is met, given the sampling times (ascending) of the tests that
     * count; {@link Long#MIN_VALUE} with kind NONE (always met); {@link Long#MAX_VALUE} when not met yet.
     */
    public long metAt(java.util.List<Long> countingTestTimes) {
        switch (kind) {
            case NONE:
                return Long.MIN_VALUE;
            case TWO_NEGATIVE_TESTS: {
                long min = minApartHours * 3_600_000L;
                long max = maxApartHours > 0 ? maxApartHours * 3_600_000L : Long.MAX_VALUE;
                long best = Long.MAX_VALUE;
                for (int j = 0; j < countingTestTimes.size(); j++) {
                    long b = countingTestTimes.get(j);
                    for (int i = 0; i < j; i++) {
                        long gap = b - countingTestTimes.get(i);
                        if (gap >= min && gap <= max) {
                            best = Math.min(best, b);
                        }
                    }
                }
                return best;
            }
            default:
                return countingTestTimes.isEmpty() ? Long.MAX_VALUE : countingTestTimes.get(0);
        }
    }

    /** Plain words for the status's "what ends it". */
    public String describe(String after) {
        return switch (kind) {
            case NONE -> "nothing more";
            case NEGATIVE_TEST -> "a negative test sampled after " + after;
            case TWO_NEGATIVE_TESTS ->
                "two negative tests at least " + minApartHours + " h apart"
                        + (maxApartHours > 0 ? " and at most " + maxApartHours + " h apart" : "") + ", sampled after "
                        + after;
            case NEGATIVE_SINGLE_TUBE -> "a negative single-tube test sampled after " + after;
            case ANY_TEST -> "any test result sampled after " + after;
        };
    }
}
