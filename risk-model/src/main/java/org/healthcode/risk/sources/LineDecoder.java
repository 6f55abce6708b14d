package org.healthcode.risk.sources;

import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.events.FeedRecord;

/** Decodes one numbered JSON line into a feed record (event or rejection), keeping its line number. */
public class LineDecoder implements MapFunction<NumberedLine, FeedRecord> {
    private final EventDecoder decoder;
    private final long lineOffset;

    public LineDecoder(EventDecoder decoder) {
        this(decoder, 0);
    }

    /** For a file after others in an archive: its line numbers follow theirs ({@code lineOffset} lines before it). */
    public LineDecoder(EventDecoder decoder, long lineOffset) {
        this.decoder = decoder;
        this.lineOffset = lineOffset;
    }

    @Override
    public FeedRecord map(NumberedLine l) {
        long line = lineOffset + l.line();
        return FeedRecord.ofLine(decoder.decodeJsonLine(l.bytes(), line), line, l.bytes());
    }
}
