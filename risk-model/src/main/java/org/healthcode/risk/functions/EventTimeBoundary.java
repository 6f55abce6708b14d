package org.healthcode.risk.functions;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Where records cross from one event-time domain into another (the carrier feed's city stays joining the other
 * feeds): records pass with their timestamps, but no watermark of the domain they come from; downstream this input
 * is idle from the start, so it neither holds back nor drives the other domain's time, and a record from it that is
 * behind that time is a late record there (checked against the allowed lateness like any other).
 *
 * <p>Only the end of input passes (the end-of-time watermark, after the input's last record), so that a bounded run
 * ends.
 */
public class EventTimeBoundary<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<T> record) {
        output.collect(record);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
            super.processWatermark(mark);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // the other domain's idleness means nothing here: this input is always idle downstream
    }
}
