package org.healthcode.risk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's command line: archives, Kafka positions and modes, every problem reported at once. */
class ReplayConfigTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryOfDailyFilesInFastModeWithAProgressLineIsTheDefault() throws Exception {
        Path daily = Files.createDirectories(dir.resolve("daily"));
        ReplayConfig c = ReplayConfig.parse(new String[] {"--events", daily.toString(), "--out", "o"});
        assertThat(c.mode()).isEqualTo(ReplayConfig.Mode.FAST);
        assertThat(c.progress()).isTrue();
        assertThat(c.kafka()).isNull();
        assertThat(ReplayConfig.parse(
                        new String[] {"--events", daily.toString(), "--out", "o", "--mode", "streaming", "--quiet"}))
                .satisfies(s -> {
                    assertThat(s.mode()).isEqualTo(ReplayConfig.Mode.STREAMING);
                    assertThat(s.progress()).isFalse();
                });
    }

    @Test
    void kafkaPositionsAreTimesOrOffsets() {
        ReplayConfig c = ReplayConfig.parse(new String[] {
            "--bootstrap-servers", "k:9092", "--from", "2022-04-01T00:00:00+08:00", "--to", "1200", "--out", "o"
        });
        assertThat(c.kafka())
                .isEqualTo(new ReplayConfig.KafkaArchive("k:9092", "", "2022-04-01T00:00:00+08:00", "1200"));
    }

    @Test
    void aSecuredClusterIsReadWithTheClientSettingsOfKafkaConfig() throws Exception {
        Path settings = Files.writeString(
                dir.resolve("client.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        ReplayConfig c = ReplayConfig.parse(
                new String[] {"--bootstrap-servers", "k:9093", "--kafka-config", settings.toString(), "--out", "o"});
        assertThat(c.kafka().client().properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        Path refused = Files.writeString(dir.resolve("bad.properties"), "isolation.level=read_uncommitted\n");
        assertThatThrownBy(() -> ReplayConfig.parse(new String[] {
                    "--bootstrap-servers", "k:9093", "--kafka-config", refused.toString(), "--out", "o"
                }))
                .hasMessageContaining("--kafka-config: cannot use");
    }

    @Test
    void everyProblemIsNamedAtOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("a.jsonl"), "");
        assertThatThrownBy(() -> ReplayConfig.parse(new String[] {
                    "--events",
                    file.toString(),
                    "--bootstrap-servers",
                    "k:9092",
                    "--to",
                    "yesterday",
                    "--mode",
                    "batch",
                    "--out",
                    "o"
                }))
                .hasMessageContaining("--events: give exactly one of")
                .hasMessageContaining("--to: latest, an ISO-8601 time")
                .hasMessageContaining("--mode: fast or streaming, not batch");
        assertThatThrownBy(() ->
                        ReplayConfig.parse(new String[] {"--events", file.toString(), "--from", "0", "--out", "o"}))
                .hasMessageContaining("--from/--to: only with --bootstrap-servers");
    }
}
