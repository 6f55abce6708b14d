package org.healthcode.risk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.healthcode.risk.crossregion.ExchangeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's cross-region options: off by default, on with --region, every problem reported at once. */
class RiskJobConfigExchangeTest {
    @TempDir
    Path dir;

    @Test
    void theExchangeIsOffWithoutARegionAndUsesProvincesByDefault() throws Exception {
        RiskJobConfig off =
                RiskJobConfig.parse(new String[] {"--checkpoint-dir", dir.toString(), "--work-dir", dir.toString()});
        assertThat(off.exchange()).isNull();
        assertThat(off.nationalKeyFile()).isNull();

        RiskJobConfig on = RiskJobConfig.parse(
                new String[] {"--checkpoint-dir", dir.toString(), "--work-dir", dir.toString(), "--region", "440000"});
        ExchangeSettings s = on.exchange();
        assertThat(s.ownRegion()).isEqualTo("440000");
        assertThat(s.directory().regionOf("310104")).isEqualTo("310000");
        assertThat(s.presenceMs()).isEqualTo(ExchangeSettings.DEFAULT_PRESENCE.toMillis());
        assertThat(s.validityMs()).isEqualTo(ExchangeSettings.DEFAULT_VALIDITY.toMillis());

        RiskJobConfig shorter = RiskJobConfig.parse(new String[] {
            "--checkpoint-dir",
            dir.toString(),
            "--work-dir",
            dir.toString(),
            "--region",
            "440000",
            "--exchange-presence",
            "72h",
            "--exchange-validity",
            "48h"
        });
        assertThat(shorter.exchange().presenceMs()).isEqualTo(72 * 3_600_000L);
        assertThat(shorter.exchange().validityMs()).isEqualTo(48 * 3_600_000L);
    }

    @Test
    void aRegionDirectoryFileMapsCitiesThatRunTheirOwnEngine() throws Exception {
        Path directory = Files.writeString(dir.resolve("regions.txt"), "# Shenzhen\n4403 440300\n");
        RiskJobConfig c = RiskJobConfig.parse(new String[] {
            "--checkpoint-dir",
            dir.toString(),
            "--work-dir",
            dir.toString(),
            "--region",
            "440000",
            "--region-directory",
            directory.toString()
        });
        assertThat(c.exchange().directory().regionOf("440305")).isEqualTo("440300");
    }

    @Test
    void badOptionsAreAllReported() {
        assertThatThrownBy(() -> RiskJobConfig.parse(new String[] {
                    "--checkpoint-dir",
                    dir.toString(),
                    "--work-dir",
                    dir.toString(),
                    "--region",
                    "44",
                    "--national-key-file",
                    dir.resolve("nope").toString(),
                    "--region-directory",
                    dir.resolve("missing").toString()
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--region: must be a six-digit GB/T 2260 code")
                .hasMessageContaining("--national-key-file: no such file")
                .hasMessageContaining("--region-directory: no such file");
        assertThatThrownBy(() -> RiskJobConfig.parse(new String[] {
                    "--checkpoint-dir",
                    dir.toString(),
                    "--work-dir",
                    dir.toString(),
                    "--region-directory",
                    dir.toString()
                }))
                .hasMessageContaining("--region-directory: needs --region");
    }
}
