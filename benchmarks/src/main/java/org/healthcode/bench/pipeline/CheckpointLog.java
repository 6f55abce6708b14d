package org.healthcode.bench.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint figures read from the job's log: Flink's CheckpointCoordinator logs every completed checkpoint at INFO
 * with its size and duration ("Completed checkpoint 7 for job ... (123 bytes, checkpointDuration=45 ms, ...)").
 */
public final class CheckpointLog {
    private static final Pattern COMPLETED =
            Pattern.compile("Completed checkpoint (\\d+) for job \\S+ \\((\\d+) bytes, checkpointDuration=(\\d+) ms");

    /** One completed checkpoint. */
    public record Checkpoint(long id, long bytes, long durationMs) {}

    private CheckpointLog() {}

    public static List<Checkpoint> read(Path log) throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        try (Stream<String> lines = Files.lines(log)) {
            lines.forEach(line -> {
                Matcher m = COMPLETED.matcher(line);
                if (m.find()) {
                    out.add(new Checkpoint(
                            Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
                }
            });
        }
        return out;
    }

    /**
     * Total size of the files under {@code dir} (the retained checkpoints: incremental SSTs and metadata). The job is
     * still running and Flink's checkpoint clean-up removes files and directories while this walks: a path that is
     * gone counts 0 (Files.walk threw on it and lost the whole run's results).
     */
    public static long directoryBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(
                    Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // removed by the clean-up while we walked
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
