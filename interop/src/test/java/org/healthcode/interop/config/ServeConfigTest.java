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
                8080, 256, InteropConfig.defaults()));
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
    void aPortOutOfRangeIsAProblem() {
        ServeConfig c = ServeConfig.parse("--bootstrap-servers", "k:1", "--data-dir", "v", "--http-port", "70000")
                .config();
        assertThat(c.validate()).containsExactly("--http-port: must be 0..65535, got 70000");
    }
}
