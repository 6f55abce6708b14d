package org.healthcode.risk.functions;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.healthcode.risk.events.FeedRecord;

/**
 * For bounded input only (replay): the latest event time among the decoded events, emitted once at the end of
 * input by each subtask. Keeps no Flink state: a replay has no checkpoints.
 */
public class LatestEventTime extends AbstractStreamOperator<Long>
        implements OneInputStreamOperator<FeedRecord, Long>, BoundedOneInput {
    private long latest = Long.MIN_VALUE;

    @Override
    public void processElement(StreamRecord<FeedRecord> element) {
        FeedRecord r = element.getValue();
        if (r.isEvent()) {
            latest = Math.max(latest, r.event().time());
        }
    }

    @Override
    public void endInput() {
        output.collect(new StreamRecord<>(latest));
    }
}
