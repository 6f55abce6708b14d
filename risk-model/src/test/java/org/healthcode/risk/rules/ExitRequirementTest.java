package org.healthcode.risk.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When exit requirements are met, from the sampling times of the tests that count. */
class ExitRequirementTest {
    private static final long H = 3_600_000L;

    @Test
    void twoNegativeTestsNeedTheMinimumGap() {
        ExitRequirement two = new ExitRequirement(ExitKind.TWO_NEGATIVE_TESTS, 24, 0);
        assertThat(two.metAt(List.of(0L, 23 * H))).isEqualTo(Long.MAX_VALUE);
        assertThat(two.metAt(List.of(0L, 23 * H, 24 * H))).isEqualTo(24 * H);
        assertThat(two.metAt(List.of(10 * H, 30 * H, 40 * H))).isEqualTo(40 * H);
    }

    @Test
    void twoNegativeTestsWithinThreeDaysRejectsWiderGaps() {
        ExitRequirement companion = new ExitRequirement(ExitKind.TWO_NEGATIVE_TESTS, 24, 72);
        assertThat(companion.metAt(List.of(0L, 100 * H))).isEqualTo(Long.MAX_VALUE);
        assertThat(companion.metAt(List.of(0L, 100 * H, 130 * H))).isEqualTo(130 * H);
    }

    @Test
    void singleTestRequirementsAreMetByTheFirstCountingTest() {
        assertThat(ExitRequirement.of(ExitKind.NEGATIVE_TEST).metAt(List.of(5L, 9L)))
                .isEqualTo(5L);
        assertThat(ExitRequirement.of(ExitKind.NEGATIVE_TEST).metAt(List.of())).isEqualTo(Long.MAX_VALUE);
        assertThat(ExitRequirement.none().metAt(List.of())).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void whichTestsCount() {
        assertThat(ExitRequirement.of(ExitKind.NEGATIVE_TEST).counts(false, true))
                .isTrue();
        assertThat(ExitRequirement.of(ExitKind.NEGATIVE_TEST).counts(true, false))
                .isFalse();
        assertThat(ExitRequirement.of(ExitKind.NEGATIVE_SINGLE_TUBE).counts(false, true))
                .isFalse();
        assertThat(ExitRequirement.of(ExitKind.ANY_TEST).counts(true, false)).isTrue();
    }
}
