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
    private static final Pattern COMPLETED = Pattern.compile(
            "Completed checkpoint (\\d+) for job \\S+ \\((\\d+) bytes, checkpointDuration=(\\d+) ms");

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
                    out.add(new Checkpoint(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3))));
                }
            });
        }
        return out;
    }

    /** Total size of the files under {@code dir} (the retained checkpoints: incremental SSTs and metadata). */
    public static long directoryBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // removed by Flink's checkpoint cleanup while we walked
                }
            }).sum();
        }
    }
}
