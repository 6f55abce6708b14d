package org.healthcode.risk.functions;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;

/**
 * The carrier feed, in the carrier's own event time. Decoded pings go on to contact detection's phone side, unless
 * they are at or behind the carrier watermark: the phone side has applied every phone's pings up to that watermark
 * and cannot place them, so they go to {@code rejected} as {@code late} (field {@code time}, with their original
 * bytes). Every other carrier record (city stays) goes to {@link #OTHER_RECORDS}, for the path of the other feeds
 * (duplicates and the allowed lateness are checked there, in their time); undecodable ones go to {@code rejected}.
 *
 * <p>Pings are not de-duplicated here: the phone side recognises a second copy of a ping (same phone, millisecond
 * and cell) and ignores it.
 *
 * <p>The watermark checked is kept across restores (the lowest of the subtasks' at the checkpoint): a restored
 * source starts its watermark again from nothing, while the phone side restores its own; without it a ping that was
 * late before a failure would pass after it and be dropped by the phone side.
 */
public class CarrierPings extends AbstractStreamOperator<Event> implements OneInputStreamOperator<FeedRecord, Event> {

    /** The carrier feed's records other than pings (city stays), for the other feeds' path. */
    public static final OutputTag<FeedRecord> OTHER_RECORDS =
            new OutputTag<>("carrier-other-records", FeedRecordSerializer.TYPE);

    private final OutputTag<Rejected> rejectedTag;

    private transient ListState<Long> watermarkState;
    private transient long watermark;

    public CarrierPings(OutputTag<Rejected> rejectedTag) {
        this.rejectedTag = rejectedTag;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("carrier-watermark", Types.LONG));
        watermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            boolean first = true;
            for (Long w : watermarkState.get()) {
                watermark = first ? w : Math.min(watermark, w);
                first = false;
            }
        }
    }

    @Override
    public void processElement(StreamRecord<FeedRecord> record) {
        FeedRecord r = record.getValue();
        if (!r.isEvent()) {
            output.collect(rejectedTag, new StreamRecord<>(r.rejected()));
            return;
        }
        Event e = r.event();
        if (e.type() != EventType.PING) {
            output.collect(OTHER_RECORDS, record);
            return;
        }
        if (watermark != Long.MIN_VALUE && e.time() <= watermark) {
            output.collect(
                    rejectedTag,
                    new StreamRecord<>(
                            r.reject(
                                    "late",
                                    "time",
                                    "late: carrier ping time "
                                            + Instant.ofEpochMilli(e.time())
                                            + " is not after the carrier feed's event-time watermark "
                                            + Instant.ofEpochMilli(watermark)
                                            + "; contact detection has applied the phones' pings up to it and cannot place this one")));
            return;
        }
        output.collect(record.replace(e));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkState.update(List.of(watermark));
    }
}
