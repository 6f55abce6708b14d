package org.healthcode.risk.sources;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;

/**
 * A file's lines ({@link NumberedLineFormat}) decoded as they are read, so the file source's fetching thread decodes
 * while its task thread hands the records on (a file is one split: one task reads and decodes all of it). Records
 * keep the file's line order.
 */
public class DecodedLineFormat extends SimpleStreamFormat<FeedRecord> {
    private final LineDecoder decoder;

    /** @param lineOffset lines in the archive's files before this one */
    public DecodedLineFormat(EventDecoder decoder, long lineOffset) {
        this.decoder = new LineDecoder(decoder, lineOffset);
    }

    @Override
    public StreamFormat.Reader<FeedRecord> createReader(Configuration config, FSDataInputStream stream) {
        StreamFormat.Reader<NumberedLine> lines = new NumberedLineFormat().createReader(config, stream);
        return new StreamFormat.Reader<>() {
            @Override
            public FeedRecord read() throws IOException {
                NumberedLine l = lines.read();
                return l == null ? null : decoder.map(l);
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<FeedRecord> getProducedType() {
        return FeedRecordSerializer.TYPE;
    }
}
