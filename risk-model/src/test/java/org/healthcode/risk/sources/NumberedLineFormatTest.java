package org.healthcode.risk.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines and their numbers as the replay reads them, whatever the read buffer's size. */
class NumberedLineFormatTest {
    private static final String TEXT = "{\"a\":1}\r\n\n  \t\r\n{\"a much longer line than the buffer\":2}\n\r\n"
            + "\r\n{\"b\":3}\n \n{\"last\":4}";

    @Test
    void linesKeepTheirNumbersAcrossBufferBoundaries() throws Exception {
        List<String> expected =
                List.of("1 {\"a\":1}", "4 {\"a much longer line than the buffer\":2}", "7 {\"b\":3}", "9 {\"last\":4}");
        for (int size : new int[] {1, 2, 3, 5, 8, 64, 1 << 16}) {
            assertThat(read(TEXT, size)).as("buffer of %d bytes", size).isEqualTo(expected);
        }
    }

    @Test
    void aTerminatedLastLineAddsNoLineAndAnEmptyFileHasNone() throws Exception {
        assertThat(read("{\"a\":1}\n", 4)).containsExactly("1 {\"a\":1}");
        assertThat(read("", 4)).isEmpty();
        assertThat(read("\n\n{\"c\":3}\r", 4)).containsExactly("3 {\"c\":3}");
    }

    private static List<String> read(String text, int bufferSize) throws Exception {
        List<String> lines = new ArrayList<>();
        try (NumberedLineFormat.LineReader r = new NumberedLineFormat.LineReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), bufferSize)) {
            NumberedLine l;
            while ((l = r.read()) != null) {
                lines.add(l.line() + " " + new String(l.bytes(), StandardCharsets.UTF_8));
            }
        }
        return lines;
    }
}
