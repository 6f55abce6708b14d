package org.healthcode.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint directory's size: every regular file under it, nested or not; nothing for a directory not there. */
class CheckpointLogTest {

    @Test
    void theSizeIsTheSumOfTheFilesUnderTheDirectory(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("_metadata"), new byte[10]);
        Path shared = Files.createDirectories(dir.resolve("chk-7").resolve("shared"));
        Files.write(shared.resolve("a.sst"), new byte[1000]);
        Files.write(shared.resolve("b.sst"), new byte[234]);
        Files.createDirectories(dir.resolve("taskowned"));
        assertThat(CheckpointLog.directoryBytes(dir)).isEqualTo(1244);
        assertThat(CheckpointLog.directoryBytes(dir.resolve("gone"))).isZero();
    }
}
