package org.healthcode.codes.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pooled deflaters and inflaters: round trips, and a failed stream leaves nothing behind for the next one. */
class ZlibTest {
    @Test
    void roundTripsManyInputsOfEverySizeThroughThePool() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 160, 300, 5_000, 40_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (int i = 0; i < 3; i++) {
                assertThat(Zlib.inflate(Zlib.deflate(data))).isEqualTo(data);
            }
        }
    }

    @Test
    void truncatedTrailingAndOversizedStreamsFailAndTheNextStreamStillInflates() throws Exception {
        byte[] data = new byte[200];
        new Random(3).nextBytes(data);
        byte[] packed = Zlib.deflate(data);
        assertThatThrownBy(() -> Zlib.inflate(Arrays.copyOf(packed, packed.length - 5)))
                .isInstanceOf(CodeFormatException.class)
                .hasMessageContaining("truncated");
        byte[] trailing = Arrays.copyOf(packed, packed.length + 1);
        assertThatThrownBy(() -> Zlib.inflate(trailing))
                .isInstanceOf(CodeFormatException.class)
                .hasMessageContaining("after the end");
        byte[] bomb = Zlib.deflate(new byte[Zlib.MAX_INFLATED_BYTES + 1]);
        assertThatThrownBy(() -> Zlib.inflate(bomb))
                .isInstanceOf(CodeFormatException.class)
                .hasMessageContaining("inflates past");
        assertThatThrownBy(() -> Zlib.inflate(new byte[] {1, 2, 3})).isInstanceOf(CodeFormatException.class);
        assertThat(Zlib.inflate(packed)).isEqualTo(data);
        assertThat(Zlib.inflate(Zlib.deflate(new byte[Zlib.MAX_INFLATED_BYTES])))
                .hasSize(Zlib.MAX_INFLATED_BYTES);
    }
}
