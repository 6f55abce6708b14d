package org.healthcode.risk.config;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The job's checkpoint directory: {@code <dir>/<jobId>/chk-<n>/_metadata} for every completed, retained checkpoint,
 * on whatever filesystem the directory's URI names (read through Flink's {@link FileSystem}, so {@code s3://} and
 * {@code hdfs://} work where their filesystem plugins are installed).
 */
public final class CheckpointDirectory {
    private CheckpointDirectory() {}

    /** The newest completed checkpoint under {@code dirUri} (a {@code chk-*} directory with {@code _metadata}). */
    public static Optional<String> latestCompleted(String dirUri) throws IOException {
        Path dir = new Path(dirUri);
        FileSystem fs = dir.getFileSystem();
        if (!fs.exists(dir)) {
            return Optional.empty();
        }
        Path best = null;
        long bestTime = Long.MIN_VALUE;
        for (FileStatus job : list(fs, dir)) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus chk : list(fs, job.getPath())) {
                if (!chk.isDir() || !chk.getPath().getName().startsWith("chk-")) {
                    continue;
                }
                FileStatus metadata;
                try {
                    metadata = fs.getFileStatus(new Path(chk.getPath(), "_metadata"));
                } catch (FileNotFoundException e) {
                    continue; // still being written, or abandoned
                }
                long time = metadata.getModificationTime();
                if (best == null
                        || time > bestTime
                        || (time == bestTime && chk.getPath().toString().compareTo(best.toString()) > 0)) {
                    best = chk.getPath();
                    bestTime = time;
                }
            }
        }
        return Optional.ofNullable(best).map(p -> p.toUri().toString());
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] entries = fs.listStatus(dir);
        return entries == null ? new FileStatus[0] : entries;
    }
}
