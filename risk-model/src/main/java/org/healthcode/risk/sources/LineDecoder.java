package org.healthcode.risk.sources;

import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.events.FeedRecord;

/** Decodes one numbered JSON line into a feed record (event or rejection), keeping its line number. */
public class LineDecoder implements MapFunction<NumberedLine, FeedRecord> {
    private final EventDecoder decoder;

    public LineDecoder(EventDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public FeedRecord map(NumberedLine l) {
        return FeedRecord.ofLine(decoder.decodeJsonLine(l.bytes(), l.line()), l.line(), l.bytes());
    }
}
