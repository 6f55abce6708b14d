package org.healthcode.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.healthcode.ingest.testing.IngestFixtures;
import org.junit.jupiter.api.Test;

class RejectedRecordsTest {
    private final StandardEventDecoder decoder = IngestFixtures.decoder();

    @Test
    void fileFormIsOneJsonLineWithTheOriginalLine() throws Exception {
        String line = "{\"feed\":\"health\",\"type\":\"foo\",\"note\":\"a \\\"quoted\\\" word\"}";
        Rejected r =
                decoder.decodeJsonLine(line.getBytes(StandardCharsets.UTF_8), 3).rejected();
        String json = RejectedRecords.toJsonLine(r);
        assertThat(json)
                .doesNotContain("\n")
                .startsWith("{\"line\":3,\"category\":\"unknown_type\",\"field\":\"type\",");
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("reason").asText()).isEqualTo("unknown_type 'foo'");
        assertThat(n.get("raw").asText()).isEqualTo(line);
    }

    @Test
    void wholeRecordProblemsHaveANullFieldAndBinaryIsBase64() throws Exception {
        byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01};
        Rejected r = decoder.decodeProto(garbage, "health", 1, 99).rejected();
        JsonNode n = new ObjectMapper().readTree(RejectedRecords.toJsonLine(r));
        assertThat(n.get("source").asText()).isEqualTo("health/1@99");
        assertThat(n.get("field").isNull()).isTrue();
        assertThat(n.has("raw")).isFalse();
        assertThat(Base64.getDecoder().decode(n.get("rawBase64").asText())).isEqualTo(garbage);
    }

    @Test
    void kafkaFormCarriesTheOriginalBytesAndHeaders() {
        byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff};
        Rejected malformed = decoder.decodeProto(garbage, "carrier", 0, 5).rejected();
        ProducerRecord<byte[], byte[]> rec = RejectedRecords.toProducerRecord("rejected", malformed);
        assertThat(rec.topic()).isEqualTo("rejected");
        assertThat(rec.value()).isEqualTo(garbage);
        Map<String, String> headers = headers(rec);
        assertThat(headers)
                .containsEntry("category", "malformed")
                .containsEntry("source", "carrier/0@5")
                .doesNotContainKey("field");
        assertThat(headers.get("reason")).startsWith("malformed: not a Protobuf Event");

        Rejected missing = decoder.decodeJsonLine("{\"feed\":\"health\"}".getBytes(StandardCharsets.UTF_8), 8)
                .rejected();
        assertThat(headers(RejectedRecords.toProducerRecord("rejected", missing)))
                .containsEntry("field", "type")
                .containsEntry("category", "missing")
                .containsEntry("source", "line 8");
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> rec) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Header h : rec.headers()) {
            m.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return m;
    }
}
