package org.healthcode.risk.sources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a file as lines with their line numbers (LF or CRLF). Not splittable, so each file is one split and the
 * numbers are the file's own; blank lines are skipped but counted.
 */
public class NumberedLineFormat extends SimpleStreamFormat<NumberedLine> {

    @Override
    public StreamFormat.Reader<NumberedLine> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream);
    }

    @Override
    public TypeInformation<NumberedLine> getProducedType() {
        return TypeInformation.of(NumberedLine.class);
    }

    private static final class LineReader implements StreamFormat.Reader<NumberedLine> {
        private final InputStream in;
        private long line;

        LineReader(InputStream in) {
            this.in = new java.io.BufferedInputStream(in, 1 << 16);
        }

        @Override
        public NumberedLine read() throws IOException {
            while (true) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
                int b;
                boolean any = false;
                while ((b = in.read()) != -1) {
                    any = true;
                    if (b == '\n') {
                        break;
                    }
                    buf.write(b);
                }
                if (!any) {
                    return null;
                }
                line++;
                byte[] bytes = buf.toByteArray();
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r') {
                    bytes = java.util.Arrays.copyOf(bytes, len - 1);
                }
                if (!isBlank(bytes)) {
                    return new NumberedLine(line, bytes);
                }
            }
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte x : bytes) {
                if (x != ' ' && x != '\t') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
