package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.FeedRecord;

/** Keeps the decoded carrier pings (or, negated, every other record, rejections included). */
public class IsPingRecord implements FilterFunction<FeedRecord> {
    private final boolean keep;

    public IsPingRecord() {
        this(true);
    }

    private IsPingRecord(boolean keep) {
        this.keep = keep;
    }

    /** Every record but the decoded pings. */
    public IsPingRecord negate() {
        return new IsPingRecord(!keep);
    }

    @Override
    public boolean filter(FeedRecord r) {
        return (r.isEvent() && r.event().type() == EventType.PING) == keep;
    }
}
