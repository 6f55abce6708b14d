package org.healthcode.interop.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The serving configuration: defaults, both option spellings, and every problem reported at once. */
class ServeConfigTest {
    @Test
    void defaultsFillWhatIsNotGiven() {
        ServeConfig.Parsed p = ServeConfig.parse("--bootstrap-servers", "127.0.0.1:9092", "--data-dir=view");

        assertThat(p.problems()).isEmpty();
        assertThat(p.config().validate()).isEmpty();
        assertThat(p.config()).isEqualTo(new ServeConfig("127.0.0.1:9092", "status", Path.of("view"), "127.0.0.1",
                8080, 16, InteropConfig.defaults()));
        assertThat(p.config().admission()).isEqualTo(ServeConfig.Admission.DEFAULTS);
        assertThat(p.config().interop().devOpenLookups()).isFalse();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ServeConfig.Parsed p = ServeConfig.parse("--http-port", "eighty", "--colour", "red", "--max-in-flight", "0",
                "--status-topic", "bad topic");

        assertThat(p.problems()).containsExactly("--http-port: not a whole number: eighty", "--colour: unknown option");
        assertThat(p.config().validate()).hasSize(4).anyMatch(s -> s.startsWith("--bootstrap-servers"))
                .anyMatch(s -> s.startsWith("--data-dir")).anyMatch(s -> s.startsWith("--max-in-flight"))
                .anyMatch(s -> s.startsWith("--status-topic"));
    }

    @Test
    void theAdmissionQueueAndThreadPoolAreReadAndChecked() {
        ServeConfig c = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--max-queued", "0",
                "--max-queue-ms=50", "--http-threads", "64").config();
        assertThat(c.validate()).isEmpty();
        assertThat(c.admission()).isEqualTo(new ServeConfig.Admission(0, 50, 64));

        ServeConfig bad = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--max-queued", "-1",
                "--max-queue-ms", "0", "--http-threads", "2").config();
        assertThat(bad.validate()).containsExactly("--max-queued: must be at least 0, got -1",
                "--max-queue-ms: must be at least 1, got 0",
                "--http-threads: must be at least 8 (Jetty's selector and acceptor take some), got 2");
    }

    @Test
    void aPortOutOfRangeIsAProblem() {
        ServeConfig c = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--http-port", "70000")
                .config();
        assertThat(c.validate()).containsExactly("--http-port: must be 0..65535, got 70000");
    }
}
