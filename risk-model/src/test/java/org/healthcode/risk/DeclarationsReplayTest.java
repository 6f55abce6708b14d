package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.config.ReplayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declarations in an archive replay like every other feed: Dani's declared fever is yellow ({@code declared_fever},
 * marked declared) until her negative test, the same declaration sent twice counts once, and Erin's declared stop in
 * a high-risk area is red under the risk-area rule, marked declared; shuffled lines in the streaming replay give the
 * fast replay's files byte for byte.
 */
class DeclarationsReplayTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DANI_FEVER =
            "{\"feed\":\"declarations\",\"type\":\"health_declaration\",\"eventId\":\"decl/health/dani/d-1\",\"time\":\"2022-04-04T08:00:00+08:00\",\"region\":\"440100\",\"personId\":\"dani\",\"declarationId\":\"d-1\",\"symptoms\":[\"fever\",\"cough\"],\"temperature\":38.3}";

    private static final List<String> ARCHIVE = List.of(
            DANI_FEVER,
            DANI_FEVER,
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-d1\",\"time\":\"2022-04-05T10:00:00+08:00\",\"region\":\"440100\",\"personId\":\"dani\",\"method\":\"pcr\",\"result\":\"negative\"}",
            "{\"feed\":\"reference\",\"type\":\"risk_area\",\"eventId\":\"ra-111\",\"time\":\"2022-04-01T12:00:00+08:00\",\"areaCode\":\"440111\",\"level\":\"high\",\"from\":\"2022-04-01T12:00:00+08:00\"}",
            "{\"feed\":\"declarations\",\"type\":\"itinerary_declaration\",\"eventId\":\"decl/itinerary/erin/i-1/0\",\"time\":\"2022-04-04T09:00:00+08:00\",\"region\":\"440100\",\"personId\":\"erin\",\"declarationId\":\"i-1\",\"stop\":0,\"areaCode\":\"440111\",\"from\":\"2022-04-02T10:00:00+08:00\",\"to\":\"2022-04-02T18:00:00+08:00\"}",
            "{\"feed\":\"declarations\",\"type\":\"itinerary_declaration\",\"eventId\":\"decl/itinerary/erin/i-1/1\",\"time\":\"2022-04-04T09:00:00+08:00\",\"region\":\"440100\",\"personId\":\"erin\",\"declarationId\":\"i-1\",\"stop\":1,\"areaCode\":\"440106\",\"from\":\"2022-04-02T19:00:00+08:00\",\"to\":\"2022-04-03T18:00:00+08:00\"}",
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-z\",\"time\":\"2022-04-06T12:00:00+08:00\",\"region\":\"440100\",\"personId\":\"zoe\",\"method\":\"pcr\",\"result\":\"negative\"}");

    @TempDir
    Path dir;

    private Path replay(List<String> lines, String name, ReplayConfig.Mode mode) throws Exception {
        Path events = dir.resolve(name + ".jsonl");
        Files.write(events, lines, StandardCharsets.UTF_8);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Path out = dir.resolve(name);
        ReplayJob.replay(
                env,
                new ReplayConfig(events, null, null, out, null, null, 2).withMode(mode),
                new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))));
        return out;
    }

    private static List<JsonNode> linesOf(Path file, String person) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(l);
            if (n.path("personId").asText().equals(person)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void aDeclaredFeverAndADeclaredStayInAHighRiskAreaReplayLikeEveryFeed() throws Exception {
        Path fast = replay(ARCHIVE, "fast", ReplayConfig.Mode.FAST);
        List<String> shuffled = new ArrayList<>(ARCHIVE);
        Collections.shuffle(shuffled, new Random(7));
        Path streaming = replay(shuffled, "streaming", ReplayConfig.Mode.STREAMING);

        List<JsonNode> dani = linesOf(fast.resolve("changelog.jsonl"), "dani");
        assertThat(dani).extracting(n -> n.get("colour").asText()).containsExactly("yellow", "green");
        JsonNode fever = dani.get(0).get("conditions").get(0);
        assertThat(fever.get("reason").asText()).isEqualTo("declared_fever");
        assertThat(fever.get("declared").asBoolean()).isTrue();
        assertThat(fever.get("cause")).hasSize(1);
        assertThat(fever.get("cause").get(0).asText()).isEqualTo("decl/health/dani/d-1");
        assertThat(dani.get(1).get("effective").asText()).isEqualTo("2022-04-05T02:00:00Z");

        JsonNode erin = linesOf(fast.resolve("statuses.jsonl"), "erin").get(0);
        assertThat(erin.get("colour").asText()).isEqualTo("red");
        JsonNode area = erin.get("conditions").get(0);
        assertThat(area.get("reason").asText()).isEqualTo("high_risk_area");
        assertThat(area.get("declared").asBoolean()).isTrue();
        assertThat(area.get("cause").get(0).asText()).isEqualTo("area-decl/itinerary/erin/i-1/0/ra-111");
        assertThat(Files.readAllLines(fast.resolve("rejected.jsonl"))).isEmpty();

        for (String f : List.of("changelog.jsonl", "statuses.jsonl", "rejected.jsonl")) {
            assertThat(Files.readAllBytes(streaming.resolve(f)))
                    .as("shuffled, streaming: " + f)
                    .isEqualTo(Files.readAllBytes(fast.resolve(f)));
        }
    }
}
