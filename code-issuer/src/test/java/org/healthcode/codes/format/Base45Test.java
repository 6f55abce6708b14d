package org.healthcode.codes.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base45Test {
    @Test
    void matchesTheRfc9285Examples() throws Exception {
        assertThat(Base45.encode("AB".getBytes(StandardCharsets.US_ASCII))).isEqualTo("BB8");
        assertThat(Base45.encode("Hello!!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("%69 VD92EX0");
        assertThat(Base45.encode("base-45".getBytes(StandardCharsets.US_ASCII))).isEqualTo("UJCLQE7W581");
        assertThat(new String(Base45.decode("QED8WEX0"), StandardCharsets.US_ASCII))
                .isEqualTo("ietf!");
    }

    @Test
    void roundTripsRandomBytes() throws Exception {
        Random r = new Random(45);
        for (int len = 0; len < 64; len++) {
            byte[] b = new byte[len];
            r.nextBytes(b);
            assertThat(Base45.decode(Base45.encode(b))).isEqualTo(b);
        }
    }

    @Test
    void rejectsBadCharactersLoneCharactersAndOverflow() {
        assertThatThrownBy(() -> Base45.decode("BB8a")).isInstanceOf(CodeFormatException.class);
        assertThatThrownBy(() -> Base45.decode("BB8B")).isInstanceOf(CodeFormatException.class);
        assertThatThrownBy(() -> Base45.decode("GGW")).isInstanceOf(CodeFormatException.class); // 65536+
        assertThatThrownBy(() -> Base45.decode(":Z")).isInstanceOf(CodeFormatException.class); // 256+
    }
}
