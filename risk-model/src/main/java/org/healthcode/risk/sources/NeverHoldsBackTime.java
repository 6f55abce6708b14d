package org.healthcode.risk.sources;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for the rules stream: it carries no watermarks and is marked idle once quiet, so an operator joining the
 * rules to the events takes its watermark from the events alone and rule updates never hold back event time.
 *
 * <p>Not "always the end of time": when every feed goes idle an operator ignores its idle inputs, and a rules input
 * at Long.MAX_VALUE would then become the operator's watermark, firing every timer and ending every condition.
 */
public final class NeverHoldsBackTime {
    /** Quiet for this long, the rules input stops counting for event time. */
    public static final Duration IDLE_AFTER = Duration.ofMillis(500);

    private NeverHoldsBackTime() {}

    public static <T> WatermarkStrategy<T> strategy() {
        return WatermarkStrategy.<T>noWatermarks()
                .withTimestampAssigner((e, ts) -> Long.MIN_VALUE)
                .withIdleness(IDLE_AFTER);
    }
}
