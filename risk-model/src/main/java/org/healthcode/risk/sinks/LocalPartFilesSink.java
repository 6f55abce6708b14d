package org.healthcode.risk.sinks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * For replay on one machine: each subtask writes its replay lines to {@code <dir>/part-<subtask>} (tab-separated:
 * kind, person, time, seq, line, json), which the client then sorts into the output files. Not for clusters (the
 * directory must be local to the client) and not fault tolerant (a replay has no checkpoints and is simply re-run).
 * Used instead of collect(), which can lose its last results when a local MiniCluster shuts down at the job's end.
 */
public class LocalPartFilesSink implements Sink<ReplayLine> {
    private final String dir;

    public LocalPartFilesSink(Path dir) {
        this.dir = dir.toAbsolutePath().toString();
    }

    @Override
    public SinkWriter<ReplayLine> createWriter(WriterInitContext context) throws IOException {
        Path file = Paths.get(dir, "part-" + context.getTaskInfo().getIndexOfThisSubtask());
        Files.createDirectories(file.getParent());
        return new Writer(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Parses one line of a part file. */
    public static ReplayLine parse(String line) {
        String[] f = line.split("\t", 6);
        return new ReplayLine(
                Integer.parseInt(f[0]),
                f[1].isEmpty() ? null : f[1],
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4]),
                f[5].isEmpty() ? null : f[5]);
    }

    private static final class Writer implements SinkWriter<ReplayLine> {
        private final BufferedWriter out;

        Writer(BufferedWriter out) {
            this.out = out;
        }

        @Override
        public void write(ReplayLine l, Context context) throws IOException {
            // JSON from Jackson escapes tabs and newlines, so one record is one line
            out.write(l.kind() + "\t" + (l.personId() == null ? "" : l.personId()) + "\t" + l.time() + "\t" + l.seq()
                    + "\t" + l.line() + "\t" + (l.json() == null ? "" : l.json()));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
