package org.healthcode.interop.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The codes options: parsed with the other options, defaults, every problem reported, --region shared. */
class CodesServeConfigTest {
    @Test
    void readsItsOptionsBesideTheOthersWithTheSharedRegion() {
        ServeConfig.Parsed p = ServeConfig.parse(
                "--bootstrap-servers",
                "k:9092",
                "--region=310000",
                "--code-lifetime-seconds",
                "120",
                "--venue-topic",
                "none",
                "--dsc",
                "dsc.txt",
                "--http-port",
                "0",
                "--key-dir",
                "keys",
                "--data-dir",
                "view");
        assertThat(p.problems()).isEmpty();
        assertThat(p.config().validate()).isEmpty();
        CodesServeConfig c = p.config().codes();
        assertThat(c.region())
                .isEqualTo("310000")
                .isEqualTo(p.config().interop().region());
        assertThat(c.codeLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.scanFeedback()).isFalse();
        assertThat(c.dscFile()).isEqualTo(Path.of("dsc.txt"));
        assertThat(c.codesConfig(Path.of("view")).keyDirectory()).isEqualTo(Path.of("keys"));
        assertThat(p.config().httpPort()).isZero();
    }

    @Test
    void defaultsIssueFiveMinuteCodesForGuangdongWithDevelopmentKeysUnderTheDataDir() {
        CodesServeConfig d = ServeConfig.parse().config().codes();
        assertThat(d).isEqualTo(CodesServeConfig.defaults());
        assertThat(d.validate()).isEmpty();
        assertThat(d.region()).isEqualTo("440000");
        assertThat(d.codeLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.venueTopic()).isEqualTo("venue");
        assertThat(d.codesConfig(Path.of("view")).effectiveKeyDirectory())
                .isEqualTo(Path.of("view", "codes", "keys", "440000"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ServeConfig.Parsed p = ServeConfig.parse(
                "--region",
                "44",
                "--code-lifetime-seconds",
                "5",
                "--venue-topic",
                "bad topic",
                "--max-cached-codes",
                "x");
        assertThat(p.problems()).containsExactly("--max-cached-codes: not a whole number: x");
        assertThat(p.config().codes().validate())
                .hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("--region"))
                .anySatisfy(m -> assertThat(m).startsWith("--code-lifetime-seconds"))
                .anySatisfy(m -> assertThat(m).startsWith("--venue-topic"));
    }
}
