package org.healthcode.interop.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The serving configuration: defaults, both option spellings, and every problem reported at once. */
class ServeConfigTest {
    @Test
    void defaultsFillWhatIsNotGiven() {
        ServeConfig.Parsed p = ServeConfig.parse("--bootstrap-servers", "127.0.0.1:9092", "--data-dir=view");

        assertThat(p.problems()).isEmpty();
        assertThat(p.config().validate()).isEmpty();
        assertThat(p.config())
                .isEqualTo(new ServeConfig(
                        "127.0.0.1:9092", "status", Path.of("view"), "127.0.0.1", 8080, 16, InteropConfig.defaults()));
        assertThat(p.config().admission()).isEqualTo(ServeConfig.Admission.DEFAULTS);
        assertThat(p.config().interop().devOpenLookups()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ServeConfig.Parsed p = ServeConfig.parse(
                "--http-port", "eighty", "--colour", "red", "--max-in-flight", "0", "--status-topic", "bad topic");

        assertThat(p.problems()).containsExactly("--http-port: not a whole number: eighty", "--colour: unknown option");
        assertThat(p.config().validate())
                .hasSize(4)
                .anyMatch(s -> s.startsWith("--bootstrap-servers"))
                .anyMatch(s -> s.startsWith("--data-dir"))
                .anyMatch(s -> s.startsWith("--max-in-flight"))
                .anyMatch(s -> s.startsWith("--status-topic"));
    }

    @Test
    void theAdmissionQueueAndThreadPoolAreReadAndChecked() {
        ServeConfig c = ServeConfig.parse(
                        "--bootstrap-servers",
                        "k:1",
                        "--data-dir",
                        "v",
                        "--max-queued",
                        "0",
                        "--max-queue-ms=50",
                        "--http-threads",
                        "64")
                .config();
        assertThat(c.validate()).isEmpty();
        assertThat(c.admission()).isEqualTo(new ServeConfig.Admission(0, 50, 64));
        ServeConfig.Parsed sharing = ServeConfig.parse(
                "--bootstrap-servers", "k:1", "--reuse-port", "--region", "310000", "--data-dir", "v");
        assertThat(sharing.problems()).isEmpty();
        assertThat(sharing.config().reusePort()).isTrue();
        assertThat(sharing.config().codes().region()).isEqualTo("310000");
        assertThat(sharing.config().dataDir()).isEqualTo(Path.of("v"));
        assertThat(ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v")
                        .config()
                        .reusePort())
                .isFalse();
        ServeConfig lanes = ServeConfig.parse(
                        "--bootstrap-servers",
                        "k:1",
                        "--data-dir",
                        "v",
                        "--max-lookups-in-flight",
                        "4096",
                        "--max-view-age-ms",
                        "2000")
                .config();
        assertThat(lanes.admission()).isEqualTo(new ServeConfig.Admission(1024, 20, 32, 1000, 2000, 4096));
        assertThat(ServeConfig.parse(
                                "--bootstrap-servers",
                                "k:1",
                                "--data-dir",
                                "v",
                                "--max-lookups-in-flight",
                                "0",
                                "--max-view-age-ms",
                                "-1")
                        .config()
                        .validate())
                .containsExactly(
                        "--max-lookups-in-flight: must be at least 1, got 0",
                        "--max-view-age-ms: must be at least 0 (0: never refuse), got -1");

        ServeConfig bad = ServeConfig.parse(
                        "--bootstrap-servers",
                        "k:1",
                        "--data-dir",
                        "v",
                        "--max-queued",
                        "-1",
                        "--max-queue-ms",
                        "0",
                        "--http-threads",
                        "2")
                .config();
        assertThat(bad.validate())
                .containsExactly(
                        "--max-queued: must be at least 0, got -1",
                        "--max-queue-ms: must be at least 1, got 0",
                        "--http-threads: must be at least 8 (Jetty's selector and acceptor take some), got 2");
    }

    @Test
    void developmentModeIsRefusedOnAnAddressOtherMachinesReach() {
        InteropConfig devOpen = InteropConfig.defaults().withAccess(null, true, -1, null, InteropConfig.DEFAULT_RATES);
        ServeConfig open = new ServeConfig("k:1", "status", Path.of("v"), "0.0.0.0", 0, 16, devOpen);
        assertThat(open.validate())
                .singleElement()
                .asString()
                .startsWith("--dev-open-lookups: development mode")
                .contains("0.0.0.0");
        assertThatThrownBy(() ->
                        org.healthcode.interop.ServingNode.start(open, org.healthcode.interop.audit.AuditSink.DISCARD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--dev-open-lookups");
        assertThat(new ServeConfig("k:1", "status", Path.of("v"), "127.0.0.1", 0, 16, devOpen).validate())
                .isEmpty();
        assertThat(new ServeConfig("k:1", "status", Path.of("v"), "localhost", 0, 16, devOpen).validate())
                .isEmpty();
        // with credentials required, any address may be served
        assertThat(new ServeConfig("k:1", "status", Path.of("v"), "0.0.0.0", 0, 16, InteropConfig.defaults())
                        .validate())
                .isEmpty();
    }

    @Test
    void plainHttpCanBeTurnedOffWhereTlsIsOn() {
        ServeConfig tlsOnly = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--http-port", "-1")
                .config()
                .withInterop(InteropConfig.defaults().withAccess(null, false, 8443, null, InteropConfig.DEFAULT_RATES));
        assertThat(tlsOnly.validate()).isEmpty();
        ServeConfig nothing = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--http-port", "-1")
                .config();
        assertThat(nothing.validate())
                .containsExactly("--http-port: -1 (no plain HTTP) needs --tls-port, else nothing" + " listens");
    }

    @Test
    void aPortOutOfRangeIsAProblem() {
        ServeConfig c = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--http-port", "70000")
                .config();
        assertThat(c.validate()).containsExactly("--http-port: must be 0..65535, or -1 for no plain HTTP, got 70000");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = ServeConfig.usage();
        for (String option : new String[] {
            "--bootstrap-servers",
            "--kafka-config",
            "--data-dir",
            "--status-topic",
            "--http-host",
            "--http-port",
            "--reuse-port",
            "--max-lookups-in-flight",
            "--max-in-flight",
            "--max-queued",
            "--max-queue-ms",
            "--http-threads",
            "--rate-per-address",
            "--max-view-age-ms",
            "--mode",
            "--region",
            "--api-keys",
            "--dev-open-lookups",
            "--tls-port",
            "--pki-dir",
            "--rate-limit",
            "--topic-prefix",
            "--hub-url",
            "--hub-key",
            "--enrol",
            "--trust-refresh-seconds",
            "--trust-warn-hours",
            "--peer",
            "--federated-validity-seconds",
            "--key-dir",
            "--code-lifetime-seconds",
            "--dsc",
            "--venue-topic",
            "--max-cached-codes",
            "--help"
        }) {
            assertThat(help).as(option).contains(option);
        }
        assertThat(help)
                .contains("default: 8080")
                .contains("default: 440000")
                .contains("default: 1024")
                .contains("default: 30000");
        assertThat(ServeConfig.parse("--help").helpRequested()).isTrue();
        assertThat(ServeConfig.parse("--http-port", "1").helpRequested()).isFalse();
    }
}
