package org.healthcode.analyst.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One status change of a replay's changelog, as the comparison needs it.
 *
 * @param personId the person
 * @param effective when it took effect (event time, epoch ms)
 * @param colour green, yellow or red
 * @param reasons the reason codes of the active conditions, in the changelog's order
 * @param redReason the reason of the first red condition, or null when none is red
 */
public record Change(String personId, long effective, String colour, List<String> reasons, String redReason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a replay's {@code changelog.jsonl} (ordered by effective time, person, seq). */
    public static List<Change> readChangelog(Path file) throws IOException {
        List<Change> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(of(JSON.readTree(line)));
            }
        }
        return out;
    }

    static Change of(JsonNode n) {
        List<String> reasons = new ArrayList<>();
        String red = null;
        for (JsonNode c : n.path("conditions")) {
            String reason = c.path("reason").asText();
            reasons.add(reason);
            if (red == null && c.path("colour").asText().equals("red")) {
                red = reason;
            }
        }
        String colour = n.path("colour").asText();
        if (red == null && colour.equals("red")) {
            // red without a red condition: an approved override decides the colour
            red = n.has("override") ? "override" : reasons.isEmpty() ? "unknown" : reasons.get(0);
        }
        return new Change(
                n.path("personId").asText(),
                Instant.parse(n.path("effective").asText()).toEpochMilli(),
                colour,
                List.copyOf(reasons),
                red);
    }
}
