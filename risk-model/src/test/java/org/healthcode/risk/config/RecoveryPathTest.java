package org.healthcode.risk.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryPathTest {
    @TempDir
    Path dir;

    private String retainedCheckpoint(String job, int n, Instant written) throws Exception {
        Path chk = dir.resolve(job).resolve("chk-" + n);
        Files.createDirectories(chk);
        Path metadata = Files.write(chk.resolve("_metadata"), new byte[] {1});
        Files.setLastModifiedTime(metadata, FileTime.from(written));
        return chk.toUri().toString();
    }

    @Test
    void aSubmittedRecoveryPathWinsOverRetainedCheckpoints() throws Exception {
        retainedCheckpoint("job-a", 7, Instant.now());
        Configuration submitted = new Configuration();
        submitted.set(StateRecoveryOptions.SAVEPOINT_PATH, "s3://savepoints/savepoint-1234");

        RecoveryPath r = RecoveryPath.choose(submitted, dir.toUri().toString());
        Configuration job = new Configuration();
        r.applyTo(job);

        assertThat(r.path()).isEmpty();
        assertThat(job.getOptional(StateRecoveryOptions.SAVEPOINT_PATH)).isEmpty();
        assertThat(r.reason()).contains("s3://savepoints/savepoint-1234").contains("as submitted");
    }

    @Test
    void withoutARecoveryPathTheNewestRetainedCheckpointIsResumed() throws Exception {
        Instant now = Instant.now();
        retainedCheckpoint("job-a", 9, now.minus(Duration.ofMinutes(5)));
        String newest = retainedCheckpoint("job-b", 3, now);
        Files.createDirectories(dir.resolve("job-b").resolve("chk-4")); // no _metadata: not completed

        RecoveryPath r = RecoveryPath.choose(new Configuration(), dir.toUri().toString());
        Configuration job = new Configuration();
        r.applyTo(job);

        assertThat(Path.of(java.net.URI.create(r.path().orElseThrow())))
                .isEqualTo(Path.of(java.net.URI.create(newest)));
        assertThat(job.get(StateRecoveryOptions.SAVEPOINT_PATH))
                .isEqualTo(r.path().orElseThrow());
        assertThat(r.reason()).contains("no recovery path given");
    }

    @Test
    void anEmptyOrMissingDirectoryStartsWithoutState() {
        assertThat(RecoveryPath.choose(
                                new Configuration(), dir.resolve("none").toUri().toString())
                        .path())
                .isEmpty();
        assertThat(RecoveryPath.choose(new Configuration(), dir.toUri().toString())
                        .path())
                .isEmpty();
    }

    @Test
    void aDirectoryOnAFilesystemThisMachineCannotReadStartsWithoutStateAndSaysSo() {
        RecoveryPath r = RecoveryPath.choose(new Configuration(), "nosuchfs://bucket/checkpoints");
        assertThat(r.path()).isEmpty();
        assertThat(r.reason())
                .contains("cannot list nosuchfs://bucket/checkpoints")
                .contains("flink run -s");
    }
}
