package org.healthcode.analyst.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A reviewed manual override as a replay's {@code audit.jsonl} tells it, one per request id: who asked, who approved,
 * on what basis, and whether it was applied (an accepted approval made it active).
 *
 * @param requestId the request
 * @param personId the person it concerns
 * @param colour the colour it sets
 * @param basis the written basis
 * @param requester operator who requested it
 * @param approvers operators whose approval was accepted
 * @param requested time of the request (ISO-8601)
 * @param expiry when it ends (ISO-8601), or empty
 * @param state the last state recorded (pending, active, withdrawn, ...)
 * @param applied whether an approval made it active
 */
public record Override(
        String requestId,
        String personId,
        String colour,
        String basis,
        String requester,
        List<String> approvers,
        String requested,
        String expiry,
        String state,
        boolean applied) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every override request in the audit trail, in the order of the requests. */
    public static List<Override> read(Path auditJsonl) throws IOException {
        Map<String, Override> byRequest = new LinkedHashMap<>();
        for (String line : Files.readAllLines(auditJsonl)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            String id = n.path("requestId").asText("");
            if (id.isEmpty()) {
                continue;
            }
            String action = n.path("action").asText();
            boolean accepted = n.path("result").asText().equals("accepted");
            Override o = byRequest.get(id);
            if (action.equals("request")) {
                if (accepted && o == null) {
                    byRequest.put(
                            id,
                            new Override(
                                    id,
                                    n.path("subject").asText(""),
                                    n.path("colour").asText(""),
                                    n.path("basis").asText(""),
                                    n.path("caller").asText(""),
                                    List.of(),
                                    n.path("at").asText(""),
                                    n.path("expiry").asText(""),
                                    n.path("state").asText(""),
                                    false));
                }
            } else if (o != null && accepted) {
                List<String> approvers = o.approvers;
                boolean applied = o.applied;
                if (action.equals("approval")) {
                    TreeSet<String> a = new TreeSet<>(approvers);
                    a.add(n.path("caller").asText(""));
                    approvers = List.copyOf(a);
                    applied = applied || n.path("state").asText().equals("active");
                }
                byRequest.put(
                        id,
                        new Override(
                                id,
                                o.personId,
                                o.colour,
                                o.basis,
                                o.requester,
                                approvers,
                                o.requested,
                                o.expiry,
                                n.path("state").asText(o.state),
                                applied));
            }
        }
        return new ArrayList<>(byRequest.values());
    }
}
