package org.healthcode.risk.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CompactTextTest {

    @Test
    void aPseudonymTakesSeventeenBytesAndComesBackTheSame() throws Exception {
        Random random = new Random(7);
        for (int k = 0; k < 10_000; k++) {
            byte[] raw = new byte[16];
            random.nextBytes(raw);
            String pseudonym = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            assertThat(CompactText.isPseudonym(pseudonym)).isTrue();
            DataOutputSerializer out = new DataOutputSerializer(32);
            CompactText.writeId(pseudonym, out);
            assertThat(out.length()).isEqualTo(17);
            assertThat(CompactText.readId(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(pseudonym);
        }
    }

    @Test
    void otherTextAndNullComeBackTheSame() throws Exception {
        String notQuite = "AAAAAAAAAAAAAAAAAAAAAB"; // 22 base64url characters whose last one carries extra bits
        for (String s : new String[] {
            null,
            "",
            "ping-12-345",
            "cell:12:-7",
            "cell:01:2",
            "cell:-0:1",
            "cell:+1:2",
            "cell:1:",
            "cell:1:2:3",
            "cell:9223372036854775807:-9223372036854775808",
            notQuite,
            "电话-1",
            "A".repeat(300)
        }) {
            DataOutputSerializer out = new DataOutputSerializer(32);
            CompactText.writeId(s, out);
            CompactText.writeVarLong(s == null ? 0 : s.length() * 1_000_003L, out);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertThat(CompactText.readId(in)).isEqualTo(s);
            assertThat(CompactText.readVarLong(in)).isEqualTo(s == null ? 0 : s.length() * 1_000_003L);
        }
        assertThat(CompactText.isPseudonym(notQuite)).isFalse();
        DataOutputSerializer cell = new DataOutputSerializer(32);
        CompactText.writeId("cell:1234:-567", cell);
        assertThat(cell.length()).isEqualTo(5); // tag and two numbers, not 16 bytes of text
    }
}
