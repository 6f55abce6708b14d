package org.healthcode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every harness in {@code --quick} mode (seconds, tiny sizes) so the benchmarks cannot rot: each must exit 0 and
 * write a results file with the machine, its settings and figures of the right shape. Timings are not asserted:
 * benchmarks are not tests. The pipeline harness runs once, on a secured broker: {@link SecuredClusterBenchTest}.
 */
class QuickHarnessTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path results;

    static Path projectRoot;

    @BeforeAll
    static void findProjectRoot() {
        // surefire runs in the module directory; the harness starts the job and the serving process from their
        // modules' target/classpath.txt, which the reactor writes before this module's tests
        projectRoot = Path.of("").toAbsolutePath().getParent();
        for (String module : List.of("interop", "risk-model")) {
            assertThat(projectRoot.resolve(module).resolve("target/classpath.txt"))
                    .as("build %s first (mvn install -DskipTests)", module)
                    .exists();
        }
    }

    private static JsonNode run(String name, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--project-root", projectRoot.toString(), name, "--quick", "--results-dir", results.toString()));
        args.addAll(List.of(extra));
        assertThat(BenchMain.run(args.toArray(String[]::new)))
                .as("exit code of bench " + name)
                .isZero();
        Path json = results.resolve(name + ".json");
        assertThat(json).exists();
        assertThat(results.resolve(name + ".txt")).exists().content().contains("machine: ");
        JsonNode root = MAPPER.readTree(Files.readString(json));
        assertThat(root.path("benchmark").asText()).isEqualTo(name);
        assertThat(root.path("quick").asBoolean()).isTrue();
        assertThat(root.path("machine").path("cores").asInt()).isPositive();
        assertThat(root.path("machine").path("memoryBytes").asLong()).isPositive();
        assertThat(root.path("machine").path("jdk").asText()).isNotBlank();
        assertThat(root.path("machine").path("os").asText()).isNotBlank();
        assertThat(root.path("settings").size()).isPositive();
        return root.path("figures");
    }

    @Test
    void lookupsMeasuresCapacityEveryLoadLevelAndTheRedisPeerOrSaysWhyNot() throws Exception {
        JsonNode f = run("lookups");
        assertThat(f.path("view").path("statuses").asInt()).isEqualTo(2_000);
        assertThat(f.path("capacityLookupsPerSecond").asDouble()).isPositive();
        JsonNode phases = f.path("openLoop");
        assertThat(phases).hasSize(6);
        List<Double> fractions = new ArrayList<>();
        for (JsonNode p : phases) {
            fractions.add(p.path("fractionOfCapacity").asDouble());
            assertThat(p.path("served").asLong())
                    .as("served at %s", p.path("fractionOfCapacity"))
                    .isPositive();
            assertThat(p.path("servedLatency").path("p99Ms").asDouble()).isPositive();
            assertThat(p.path("serverMaxRssBytes").asLong()).isPositive();
            // what the generator really sent, and whether that was the rate it meant to offer
            assertThat(p.path("sentPerSecond").asDouble()).isPositive();
            assertThat(p.path("generatorOfferedTheRate").isBoolean()).isTrue();
        }
        // the second 70% ran beside a flood of /v1/verify-image
        assertThat(fractions).containsExactly(0.5, 0.7, 1.0, 0.7, 10.0, 0.5);
        assertThat(phases.get(3)
                        .path("verifyImageFlood")
                        .path("answeredPerSecond")
                        .asDouble())
                .isPositive();
        assertThat(f.path("batches").path("idsPerSecond").asDouble()).isPositive();
        assertThat(f.path("serverAliveAtEnd").asBoolean()).isTrue();
        JsonNode redis = f.path("redis");
        assertThat(redis.has("skipped")
                        || redis.path("get").path("requestsPerSecond").asDouble() > 0)
                .as("redis figures or the reason they are missing: %s", redis)
                .isTrue();
    }

    @Test
    void rulesCeilingCountsTheCitysEvents() throws Exception {
        JsonNode c = run("rules").path("ceiling");
        assertThat(c.path("events").asLong()).isPositive();
        assertThat(c.path("personEvents").asLong())
                .isPositive()
                .isLessThanOrEqualTo(c.path("events").asLong());
        assertThat(c.path("statusChanges").asLong()).isPositive();
        assertThat(c.path("eventsPerSecondDecodeAndRules").asDouble()).isPositive();
    }

    @Test
    void jmhRunsEveryMicroBenchmark() throws Exception {
        JsonNode rows = run("jmh").path("benchmarks");
        List<String> names = new ArrayList<>();
        for (JsonNode row : rows) {
            names.add(row.path("benchmark").asText());
            assertThat(row.path("opsPerSecond").asDouble()).as(row.toString()).isPositive();
        }
        assertThat(names)
                .contains(
                        "PseudonymiserBenchmark.personId",
                        "StatusViewBenchmark.getBytes",
                        "CodeSigningBenchmark.issue",
                        "CodeSigningBenchmark.verify",
                        "RuleEvaluationBenchmark.applyRules",
                        "RuleEvaluationBenchmark.decodeFeedRecord");
    }

    @Test
    void contactsRunsTheGeneratorAloneAndTwoSizesWithCheckpointsAndFindsCompanions() throws Exception {
        JsonNode f = run("contacts");
        assertThat(f.path("generatorOnly").path("pingsPerCpuSecond").asDouble()).isPositive();
        JsonNode runs = f.path("runs");
        assertThat(runs).hasSize(2);
        for (JsonNode run : runs) {
            assertThat(run.path("pings").asLong()).isEqualTo(run.path("phones").asLong() * 48);
            assertThat(run.path("pingsPerSecondPerCore").asDouble()).isPositive();
            assertThat(run.path("pingsPerCpuSecond").asDouble()).isPositive();
            assertThat(run.path("exposures").asLong())
                    .as("companions of the day's cases")
                    .isPositive();
            assertThat(run.path("latePings").asLong())
                    .as("the generator keeps every ping ahead of the watermark")
                    .isZero();
            assertThat(run.path("checkpoints").path("completed").asInt()).isPositive();
            assertThat(run.path("checkpoints").path("largestBytes").asLong()).isPositive();
        }
        assertThat(runs.get(1).path("pingRatioToFirst").asDouble()).isEqualTo(2.0);
        assertThat(f.path("summary").path("cityDaySeconds").asDouble()).isPositive();
    }

    @Test
    void replayRunsBothModesOnTheSameCityBesideTheCeiling() throws Exception {
        JsonNode f = run("replay");
        assertThat(f.path("ceiling").path("eventsPerSecondDecodeAndRules").asDouble())
                .isPositive();
        JsonNode runs = f.path("runs");
        assertThat(runs).extracting(r -> r.path("mode").asText()).containsExactly("fast", "streaming");
        for (JsonNode run : runs) {
            assertThat(run.path("eventsPerSecond").asDouble()).isPositive();
            assertThat(run.path("done").asText()).startsWith("REPLAY DONE");
        }
        assertThat(runs.get(0).path("done").asText())
                .as("the same statuses either way")
                .isEqualTo(runs.get(1).path("done").asText());
    }
}
