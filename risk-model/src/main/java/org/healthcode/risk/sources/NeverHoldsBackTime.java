package org.healthcode.risk.sources;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for the rules stream: always the end of time, so joining the rules to the events never holds back
 * the events' watermark (the operator takes the minimum of its inputs).
 */
public final class NeverHoldsBackTime<T> implements WatermarkGenerator<T> {

    public static <T> WatermarkStrategy<T> strategy() {
        return WatermarkStrategy.forGenerator(ctx -> new NeverHoldsBackTime<T>())
                .withTimestampAssigner((e, ts) -> Long.MIN_VALUE);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
