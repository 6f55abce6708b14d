package org.healthcode.risk.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An archive's scan: lines as the replay numbers them, the blank ones it skips, files in name order. */
class ArchiveFilesTest {

    @Test
    void blankLinesAreCountedAcrossPlainAndGzipFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("2022-04-01.jsonl"), "{\"a\":1}\n\n  \t\r\n{\"b\":2}\n", StandardCharsets.UTF_8);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("2022-04-02.jsonl.gz")))) {
            out.write("{\"c\":3}\r\n\r\n{\"d\":4}\n \n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("2022-04-03.jsonl"), "{\"e\":5}\n   ", StandardCharsets.UTF_8);

        ArchiveFiles a = ArchiveFiles.scan(dir);

        assertThat(a.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("2022-04-01.jsonl", "2022-04-02.jsonl.gz", "2022-04-03.jsonl");
        assertThat(a.lines()).isEqualTo(4 + 4 + 2);
        assertThat(a.blankLines()).isEqualTo(2 + 2 + 1);
        assertThat(a.lineOffsets()).containsExactly(0L, 4L, 8L);
    }
}
