package org.healthcode.risk.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.events.FeedRecord;
import org.junit.jupiter.api.Test;

/** Lines decoded by helper threads come out as one thread decodes them, in line order. */
class DecodedLineFormatTest {
    private static final LineDecoder DECODER =
            new LineDecoder(new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))), 100);

    @Test
    void helpersGiveTheRecordsOfOneThreadInLineOrder() throws Exception {
        StringBuilder text = new StringBuilder();
        int lines = 3 * DecodedLineFormat.BATCH + 17;
        for (int i = 1; i <= lines; i++) {
            if (i % 97 == 0) {
                text.append("{not json\n");
            } else if (i % 89 == 0) {
                text.append("  \n");
            } else {
                text.append("{\"feed\":\"carrier\",\"type\":\"ping\",\"eventId\":\"p-")
                        .append(i)
                        .append("\",\"time\":\"2022-04-01T08:")
                        .append(String.format("%02d:%02d", i / 60 % 60, i % 60))
                        .append("+08:00\",\"region\":\"440100\",\"msisdn\":\"+86131")
                        .append(String.format("%08d", 91689900 + i % 50))
                        .append("\",\"lat\":23.1,\"lon\":113.3}\n");
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        List<String> alone = read(bytes, 0);
        List<String> withHelpers = read(bytes, 3);

        assertThat(alone).hasSize(lines - lines / 89 + lines / (89 * 97));
        assertThat(alone).anyMatch(r -> r.startsWith("197 rejected")).anyMatch(r -> r.startsWith("101 event"));
        assertThat(withHelpers).isEqualTo(alone);
    }

    private static List<String> read(byte[] bytes, int helpers) throws Exception {
        List<String> out = new ArrayList<>();
        try (DecodedLineFormat.Reader r = new DecodedLineFormat.Reader(
                new NumberedLineFormat.LineReader(new ByteArrayInputStream(bytes), 4096), DECODER, helpers)) {
            FeedRecord f;
            while ((f = r.read()) != null) {
                out.add(f.line()
                        + (f.isEvent()
                                ? " event " + f.event()
                                : " rejected " + f.rejected().source() + " "
                                        + f.rejected().reason())
                        + " " + new String(f.raw(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
