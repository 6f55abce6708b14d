package org.healthcode.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.healthcode.broker.BrokerSecurity;
import org.healthcode.broker.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark run on a cluster the operator runs, as a region measures its own: a broker with SASL_SSL (SCRAM over
 * TLS) and ACLs, reached by every client of the harness and by the job, the reference job and the serving process it
 * starts through {@code --kafka-config}. A principal without ACLs gets nothing, and a cluster that already holds the
 * benchmark's topics is refused rather than counted. This is the suite's one quick run of the pipeline harness: it
 * checks the results file's figures as {@link QuickHarnessTest} does for the other harnesses.
 */
class SecuredClusterBenchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void thePipelineBenchmarkRunsOnASecuredClusterAndNeitherAnIntruderNorAFullClusterIsMeasured() throws Exception {
        BrokerSecurity security = BrokerSecurity.generate(work.resolve("tls"), List.of("engine", "intruder"));
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0, security)) {
            try (Admin admin = Admin.create(broker.adminProperties())) {
                admin.createAcls(BrokerSecurity.engineAcls("User:engine")).all().get();
            }
            Path engine = security.writeClientConfig("engine", work.resolve("engine.properties"));
            Path intruder = security.writeClientConfig("intruder", work.resolve("intruder.properties"));
            String bootstrap = broker.bootstrapServers();

            Path results = work.resolve("results");
            assertThat(bench(
                            "pipeline",
                            results,
                            "--bootstrap-servers",
                            bootstrap,
                            "--kafka-config",
                            intruder.toString()))
                    .as("a principal without ACLs")
                    .isNotZero();

            assertThat(bench(
                            "pipeline", results, "--bootstrap-servers", bootstrap, "--kafka-config", engine.toString()))
                    .isZero();
            JsonNode run = MAPPER.readTree(Files.readString(results.resolve("pipeline.json")))
                    .path("figures")
                    .path("runs")
                    .get(0);
            assertThat(run.path("kafka").asText()).contains(bootstrap).contains("SASL_SSL");
            assertThat(run.path("events").asLong()).isPositive();
            assertThat(run.path("caughtUp").asBoolean()).as(run.toString()).isTrue();
            // the same-run reference read every event and wrote one record for each (plus transaction markers)
            assertThat(run.path("reference").path("eventsCommitted").asLong())
                    .isEqualTo(run.path("events").asLong());
            assertThat(run.path("reference").path("recordsOut").asLong())
                    .isGreaterThanOrEqualTo(run.path("events").asLong());
            assertThat(run.path("ratioSteadyToReference").asDouble()).isPositive();
            assertThat(run.path("eventsPerSecond").asDouble()).isPositive();
            assertThat(run.path("ceiling").path("eventsPerSecondDecodeAndRules").asDouble())
                    .isPositive();
            assertThat(run.path("freshness").path("count").asInt())
                    .as("lookups answered by the serving process on the secured cluster")
                    .isEqualTo(3);
            assertThat(run.path("checkpoints").path("completed").asInt()).isPositive();
            assertThat(run.path("checkpoints").path("bytesPerPerson").asDouble())
                    .isPositive();
            // RocksDB's own figure from the job's Prometheus reporter, by operator and state (the reporter writes
            // characters outside [A-Za-z0-9_:] of a label value as underscores)
            JsonNode live = run.path("rocksDbLiveState");
            assertThat(live.path("liveSstFilesBytes").asLong())
                    .as(run.toString())
                    .isPositive();
            assertThat(live.path("estimateLiveDataBytesByState").has("person_risk/person"))
                    .as(live.toString())
                    .isTrue();

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream before = System.err;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                assertThat(bench(
                                "lookups",
                                results,
                                "--bootstrap-servers",
                                bootstrap,
                                "--kafka-config",
                                engine.toString()))
                        .as("the status topic already holds the pipeline run's statuses")
                        .isNotZero();
                assertThat(bench("lookups", results, "--kafka-config", engine.toString()))
                        .as("client settings for the benchmark's own plaintext broker")
                        .isNotZero();
            } finally {
                System.setErr(before);
            }
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .containsPattern("already holds records in \\[.*status")
                    .contains("--kafka-config needs --bootstrap-servers");
        }
    }

    private static int bench(String name, Path results, String... extra) {
        // surefire runs in the module directory; the reactor built interop's and risk-model's class paths first
        List<String> args = new ArrayList<>(List.of(
                "--project-root",
                Path.of("").toAbsolutePath().getParent().toString(),
                name,
                "--quick",
                "--no-redis",
                "--results-dir",
                results.toString()));
        if (name.equals("pipeline")) {
            args.remove("--no-redis");
        }
        args.addAll(List.of(extra));
        return BenchMain.run(args.toArray(String[]::new));
    }
}
