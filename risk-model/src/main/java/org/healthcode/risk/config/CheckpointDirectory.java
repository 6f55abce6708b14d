package org.healthcode.risk.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The job's checkpoint directory: {@code <dir>/<jobId>/chk-<n>/_metadata} for every completed, retained checkpoint.
 * On start the job resumes from the newest one, which is how a restarted demo keeps its state and offsets.
 */
public final class CheckpointDirectory {
    private CheckpointDirectory() {}

    /** The newest completed checkpoint under {@code dir} (a {@code chk-*} directory with {@code _metadata}). */
    public static Optional<Path> latestCompleted(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(CheckpointDirectory::checkpointsOf)
                    .filter(chk -> Files.isRegularFile(chk.resolve("_metadata")))
                    .max(Comparator.comparing(CheckpointDirectory::metadataTime).thenComparing(Path::toString));
        }
    }

    private static Stream<Path> checkpointsOf(Path jobDir) {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-")).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static FileTime metadataTime(Path chk) {
        try {
            return Files.getLastModifiedTime(chk.resolve("_metadata"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
