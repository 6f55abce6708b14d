package org.healthcode.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steady window of a pipeline run, on runs that caught up and on runs that hit the timeout. */
class SteadyWindowTest {
    private static final long SECOND = 1_000_000_000L;

    /** Samples every second: {@code perSecond} events committed and {@code cpuPerSecond} CPU-seconds of the job each. */
    private static List<long[]> samples(int seconds, long perSecond, double cpuPerSecond) {
        List<long[]> s = new ArrayList<>();
        for (int i = 1; i <= seconds; i++) {
            s.add(new long[] {i * SECOND, i * perSecond, (long) (i * cpuPerSecond * SECOND)});
        }
        return s;
    }

    @Test
    void aRunThatCaughtUpIsMeasuredFromTenToNinetyPercentOfItsEvents() {
        PipelineBench.Steady w = PipelineBench.steady(samples(10, 1_000, 2.0), 10_000);
        assertThat(w.eventsPerSecond()).isCloseTo(1_000, within(1e-6));
        assertThat(w.eventsPerCpuSecond()).isCloseTo(500, within(1e-6));
        assertThat(w.describe()).isEqualTo("10%-90% of progress");
    }

    @Test
    void aTimedOutRunReportsWhatItProcessedUpToTheTimeoutAndItsCpuTime() {
        // 30 of 100 k events in 30 s: never reached 90%
        PipelineBench.Steady w = PipelineBench.steady(samples(30, 1_000, 1.5), 100_000);
        assertThat(w.eventsPerSecond()).isCloseTo(1_000, within(1e-6));
        assertThat(w.eventsPerCpuSecond()).isCloseTo(1_000 / 1.5, within(1e-6));
        assertThat(w.describe()).isEqualTo("10% of the events to the timeout");
    }

    @Test
    void aRunBelowTenPercentIsMeasuredFromItsFirstSample() {
        PipelineBench.Steady w = PipelineBench.steady(samples(5, 1_000, 1.0), 100_000);
        assertThat(w.eventsPerSecond()).isCloseTo(1_000, within(1e-6));
        assertThat(w.eventsPerCpuSecond()).isCloseTo(1_000, within(1e-6));
    }

    @Test
    void aSmallRunCommittedAtOneSampleIsMeasuredFromTheSampleBeforeIt() {
        // nothing for two seconds, then all 10 k events at the third sample
        List<long[]> s = List.of(new long[] {SECOND, 0, SECOND}, new long[] {2 * SECOND, 0, 2 * SECOND}, new long[] {
            3 * SECOND, 10_000, 4 * SECOND
        });
        PipelineBench.Steady w = PipelineBench.steady(s, 10_000);
        assertThat(w.eventsPerSecond()).isCloseTo(10_000, within(1e-6));
        assertThat(w.eventsPerCpuSecond()).isCloseTo(5_000, within(1e-6));
    }
}
