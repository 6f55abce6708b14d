package org.healthcode.risk.functions;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;

/**
 * Splits decoded feed records: events go on, rejected records go to the rejected side output. Its output crosses the
 * network to the duplicate filter with {@link FeedRecordSerializer}.
 */
public class FeedRecordSplitter extends ProcessFunction<FeedRecord, FeedRecord>
        implements ResultTypeQueryable<FeedRecord> {
    private final OutputTag<Rejected> rejectedTag;

    public FeedRecordSplitter(OutputTag<Rejected> rejectedTag) {
        this.rejectedTag = rejectedTag;
    }

    @Override
    public TypeInformation<FeedRecord> getProducedType() {
        return FeedRecordSerializer.TYPE;
    }

    @Override
    public void processElement(FeedRecord r, Context ctx, Collector<FeedRecord> out) {
        if (r.isEvent()) {
            out.collect(r);
        } else {
            ctx.output(rejectedTag, r.rejected());
        }
    }
}
