package org.healthcode.risk.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Text fields are their length and UTF-8 bytes, whatever path writes them. */
class RecordSerializerTextTest {

    @Test
    void asciiTextOfEveryLengthAroundTheEightByteWordsIsItsUtf8Bytes() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n <= 40; n++) {
            String s = sb.toString();
            assertThat(written(s)).as("length %d", n).isEqualTo(lengthAndUtf8(s));
            assertThat(readBack(s)).isEqualTo(s);
            sb.append((char) ('!' + (n * 7) % 94)); // printable ASCII, every position different
        }
    }

    @Test
    void theHighestAsciiCharAndNonAsciiTextKeepTheirBytes() throws IOException {
        for (String s : new String[] {
            "\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f", "粤B12345-手机", "abcdefgh\u00e9", "\u0000zero"
        }) {
            assertThat(written(s)).as(s).isEqualTo(lengthAndUtf8(s));
            assertThat(readBack(s)).isEqualTo(s);
        }
        assertThat(readBack(null)).isNull();
    }

    private static byte[] written(String s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(8);
        RecordSerializer.writeText(s, out);
        return out.getCopyOfBuffer();
    }

    private static String readBack(String s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(8);
        RecordSerializer.writeText(s, out);
        return RecordSerializer.readText(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static byte[] lengthAndUtf8(String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        DataOutputSerializer out = new DataOutputSerializer(8);
        out.writeInt(utf8.length);
        out.write(utf8);
        return out.getCopyOfBuffer();
    }
}
