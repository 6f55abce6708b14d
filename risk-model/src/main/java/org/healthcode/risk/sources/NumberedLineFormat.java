package org.healthcode.risk.sources;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
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
    private static final int BUFFER = 1 << 16;

    @Override
    public StreamFormat.Reader<NumberedLine> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, BUFFER);
    }

    @Override
    public TypeInformation<NumberedLine> getProducedType() {
        return TypeInformation.of(NumberedLine.class);
    }

    /**
     * Scans a block of the stream at a time for the line ends (reading byte by byte through a synchronised stream
     * was most of a replay's reading thread).
     */
    static final class LineReader implements StreamFormat.Reader<NumberedLine> {
        private final InputStream in;
        private final byte[] buf;
        private int pos;
        private int limit;
        private byte[] pending = new byte[256];
        private long line;

        LineReader(InputStream in, int bufferSize) {
            this.in = in;
            this.buf = new byte[bufferSize];
        }

        @Override
        public NumberedLine read() throws IOException {
            while (true) {
                int len = 0;
                boolean any = false;
                boolean terminated = false;
                while (!terminated && (pos < limit || fill())) {
                    any = true;
                    int start = pos;
                    int end = start;
                    while (end < limit && buf[end] != '\n') {
                        end++;
                    }
                    int n = end - start;
                    if (len + n > pending.length) {
                        pending = Arrays.copyOf(pending, Math.max(2 * pending.length, len + n));
                    }
                    System.arraycopy(buf, start, pending, len, n);
                    len += n;
                    terminated = end < limit;
                    pos = terminated ? end + 1 : end;
                }
                if (!any) {
                    return null;
                }
                line++;
                if (len > 0 && pending[len - 1] == '\r') {
                    len--;
                }
                if (!isBlank(pending, len)) {
                    return new NumberedLine(line, Arrays.copyOf(pending, len));
                }
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            pos = 0;
            limit = Math.max(n, 0);
            return n > 0;
        }

        private static boolean isBlank(byte[] bytes, int len) {
            for (int i = 0; i < len; i++) {
                if (bytes[i] != ' ' && bytes[i] != '\t') {
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
