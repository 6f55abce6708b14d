package org.healthcode.contracts.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusNamesTest {
    @TempDir
    Path dir;

    @Test
    void namesInRulesAreFoundAndOnlySampledNamesCountAsExported() throws Exception {
        Path rules = Files.writeString(
                dir.resolve("alerts.yaml"),
                "expr: rate(healthcode_lookups_total[5m]) > 0 and flink_jobmanager_numRunningJobs < 1\n"
                        + "expr: healthcode_follower_up{follower=\"audit\"} == 0\n");
        assertThat(PrometheusNames.usedIn("healthcode_", rules))
                .containsExactly("healthcode_follower_up", "healthcode_lookups_total");
        String scrape = "# HELP healthcode_lookups_total Lookups.\n# TYPE healthcode_lookups_total counter\n"
                + "healthcode_lookups_total{result=\"found\"} 3.0\nhealthcode_follower_up 1\n\n";
        assertThat(PrometheusNames.exported(scrape))
                .containsExactly("healthcode_follower_up", "healthcode_lookups_total");
    }
}
