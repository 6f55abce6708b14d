package org.healthcode.interop.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.Test;

/** The access-control and cross-region options: read from the one command line, validated all at once. */
class InteropConfigTest {
    @Test
    void readsItsOptionsBesideTheOthers() {
        ServeConfig.Parsed p = ServeConfig.parse(
                "--bootstrap-servers",
                "k:1",
                "--region",
                "310000",
                "--api-keys",
                "keys.txt",
                "--dev-open-lookups",
                "--tls-port",
                "8443",
                "--rate-limit",
                "app=7,region=9",
                "--peer",
                "440000=https://127.0.0.1:9443",
                "--topic-prefix",
                "b.",
                "--data-dir",
                "v");

        assertThat(p.problems()).isEmpty();
        assertThat(p.config().bootstrapServers()).isEqualTo("k:1");
        InteropConfig c = p.config().interop();
        assertThat(c.validate()).isEmpty();
        assertThat(c.region()).isEqualTo("310000");
        assertThat(c.apiKeysFile()).isEqualTo(Path.of("keys.txt"));
        assertThat(c.devOpenLookups()).isTrue();
        assertThat(c.ratePerSecond())
                .containsEntry(Role.APP, 7)
                .containsEntry(Role.REGION, 9)
                .containsEntry(Role.CHECKPOINT, InteropConfig.DEFAULT_RATES.get(Role.CHECKPOINT));
        assertThat(c.peers()).containsEntry("440000", URI.create("https://127.0.0.1:9443"));
        assertThat(c.auditTopic()).isEqualTo("b.audit");
        assertThat(c.interopTopic()).isEqualTo("b.interop");
    }

    @Test
    void crossRegionOptionsWithoutMutualTlsAreEachAProblem() {
        InteropConfig c = ServeConfig.parse(
                        "--mode", "hub", "--hub-url", "https://h:1", "--peer", "31=http://x", "--region", "44")
                .config()
                .interop();

        assertThat(c.validate())
                .anyMatch(s -> s.startsWith("--region"))
                .anyMatch(s -> s.startsWith("--hub-key"))
                .anyMatch(s -> s.contains("required in hub mode"))
                .anyMatch(s -> s.startsWith("--peer: expected a six-digit code"))
                .hasSizeGreaterThanOrEqualTo(5);
    }
}
