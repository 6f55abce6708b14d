package org.healthcode.interop.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The codes options: parsed beside the other options, defaults, every problem reported, --region shared. */
class CodesServeConfigTest {
    @Test
    void takesItsOwnOptionsAndHandsBackTheRestWithTheSharedRegion() {
        CodesServeConfig.Parsed p = CodesServeConfig.parse("--bootstrap-servers", "k:9092", "--region=310000",
                "--code-lifetime-seconds", "120", "--venue-topic", "none", "--dsc", "dsc.txt", "--http-port", "0",
                "--key-dir", "keys");
        assertThat(p.problems()).isEmpty();
        assertThat(p.config().region()).isEqualTo("310000");
        assertThat(p.config().codeLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.config().scanFeedback()).isFalse();
        assertThat(p.config().dscFile()).isEqualTo(Path.of("dsc.txt"));
        assertThat(p.config().codesConfig(Path.of("view")).keyDirectory()).isEqualTo(Path.of("keys"));
        assertThat(p.remaining()).containsExactly("--bootstrap-servers", "k:9092", "--region", "310000",
                "--http-port", "0");
        assertThat(ServeConfig.parse(p.remaining()).problems()).isEmpty();
    }

    @Test
    void defaultsIssueFiveMinuteCodesForGuangdongWithDevelopmentKeysUnderTheDataDir() {
        CodesServeConfig d = CodesServeConfig.parse().config();
        assertThat(d.validate()).isEmpty();
        assertThat(d.region()).isEqualTo("440000");
        assertThat(d.codeLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.venueTopic()).isEqualTo("venue");
        assertThat(d.codesConfig(Path.of("view")).effectiveKeyDirectory())
                .isEqualTo(Path.of("view", "codes", "keys", "440000"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        CodesServeConfig.Parsed p = CodesServeConfig.parse("--region", "44", "--code-lifetime-seconds", "5",
                "--venue-topic", "bad topic", "--max-cached-codes", "x");
        assertThat(p.problems()).containsExactly("--max-cached-codes: not a whole number: x");
        assertThat(p.config().validate()).hasSize(3).anySatisfy(m -> assertThat(m).startsWith("--region"))
                .anySatisfy(m -> assertThat(m).startsWith("--code-lifetime-seconds"))
                .anySatisfy(m -> assertThat(m).startsWith("--venue-topic"));
    }
}
