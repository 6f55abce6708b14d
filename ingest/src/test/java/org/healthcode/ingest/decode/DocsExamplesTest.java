package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.healthcode.ingest.events.EventType;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;

/** The example lines of docs/events.md decode, and there is one for every event type. */
class DocsExamplesTest {
    private static final Path DOC = Path.of("..", "docs", "events.md");

    @Test
    void everyExampleLineDecodesAndEveryTypeHasOne() throws Exception {
        List<String> examples = new ArrayList<>();
        boolean inJson = false;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (line.startsWith("```")) {
                inJson = line.equals("```json");
            } else if (inJson) {
                examples.add(line);
            }
        }
        StandardEventDecoder decoder = IngestFixtures.decoder();
        Set<EventType> covered = EnumSet.noneOf(EventType.class);
        for (int i = 0; i < examples.size(); i++) {
            // the override examples are shown without the signature the serving process adds when it writes them
            String line = examples.get(i).contains("\"feed\":\"overrides\"")
                    ? IngestFixtures.signed(examples.get(i))
                    : examples.get(i);
            Decoded d = decoder.decodeJsonLine(line.getBytes(StandardCharsets.UTF_8), i + 1);
            assertThat(d.isOk()).as("%s -> %s", examples.get(i), d.rejected()).isTrue();
            covered.add(d.event().type());
        }
        assertThat(covered).containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void theRejectedLineExampleIsWhatTheRendererWrites() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String pcrWithoutResult =
                "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"x\",\"time\":\"2022-04-01T09:30:00+08:00\","
                        + "\"personId\":\"p1\",\"method\":\"pcr\"}";
        Rejected r = IngestFixtures.decoder()
                .decodeJsonLine(pcrWithoutResult.getBytes(StandardCharsets.UTF_8), 17)
                .rejected();
        String rendered = RejectedRecords.toJsonLine(r);
        String shown = rendered.substring(0, rendered.indexOf(",\"raw\":"));
        assertThat(doc).contains(shown + ",\"raw\":\"<the original line>\"}");
    }
}
