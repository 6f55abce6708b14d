package org.healthcode.analyst.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.sinks.JsonLinesSink;
import org.healthcode.ingest.wire.EventTrees;
import org.junit.jupiter.api.Test;

/** A line turned into the authority's Protobuf event reads back, through ingest's own mapping, as the same line. */
class EventProtosTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineOfACityRoundTripsThroughTheProtobufEvent() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SyntheticCity(CityConfig.of(200, 1, 11)).run(new JsonLinesSink(bytes, false));
        Set<String> types = new HashSet<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            JsonNode tree = JSON.readTree(line);
            types.add(tree.path("type").asText());
            assertThat(EventTrees.toTree(EventProtos.fromLine(tree))).as(line).isEqualTo(tree);
        }
        assertThat(types).contains("trip", "ping", "identity", "test_result", "scan", "diagnosis");
    }

    @Test
    void aHealthDeclarationKeepsItsListOfSymptoms() throws Exception {
        JsonNode line = JSON.readTree("{\"feed\":\"declarations\",\"type\":\"health_declaration\","
                + "\"eventId\":\"decl/health/dani/d-1\",\"time\":\"2022-04-04T08:00:00+08:00\","
                + "\"personId\":\"dani\",\"declarationId\":\"d-1\",\"symptoms\":[\"fever\",\"cough\"],"
                + "\"temperature\":38.3}");
        assertThat(EventProtos.fromLine(line).getHealthDeclaration().getSymptomsList())
                .containsExactly("fever", "cough");
        assertThat(EventTrees.toTree(EventProtos.fromLine(line))).isEqualTo(line);
    }
}
