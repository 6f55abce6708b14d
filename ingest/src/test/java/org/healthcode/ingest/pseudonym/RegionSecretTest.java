package org.healthcode.ingest.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegionSecretTest {
    @TempDir
    Path work;

    @Test
    void developmentSecretIsGeneratedOnceOwnerOnlyAndReused() throws Exception {
        RegionSecret first = RegionSecret.development(work);
        Path file = RegionSecret.developmentFile(work);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        String stored = Files.readString(file);

        RegionSecret again = RegionSecret.development(work);
        assertThat(again.bytes()).isEqualTo(first.bytes());
        assertThat(Files.readString(file)).isEqualTo(stored);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void twoWorkDirectoriesGetDifferentSecrets() {
        assertThat(RegionSecret.development(work.resolve("a")).bytes())
                .isNotEqualTo(RegionSecret.development(work.resolve("b")).bytes());
    }

    @Test
    void resolvePrefersTheFileThenTheEnvironmentThenTheDevelopmentSecret() throws Exception {
        byte[] fileKey = new byte[32];
        fileKey[0] = 1;
        byte[] envKey = new byte[32];
        envKey[0] = 2;
        Path file = work.resolve("configured");
        Files.writeString(file, Base64.getEncoder().encodeToString(fileKey) + "\n");
        Map<String, String> env = Map.of(RegionSecret.ENV, Base64.getEncoder().encodeToString(envKey));

        assertThat(RegionSecret.resolve(file, env, work).bytes()).isEqualTo(fileKey);
        assertThat(RegionSecret.resolve(null, env, work).bytes()).isEqualTo(envKey);
        assertThat(RegionSecret.developmentFile(work)).doesNotExist();
        RegionSecret dev = RegionSecret.resolve(null, Map.of(), work);
        assertThat(dev.bytes()).isEqualTo(RegionSecret.development(work).bytes());
        assertThatThrownBy(() -> RegionSecret.resolve(null, Map.of(), null)).hasMessageContaining(RegionSecret.ENV);
    }

    @Test
    void shortOrNonBase64SecretsAreRefusedAndToStringHidesTheKey() {
        assertThatThrownBy(() -> RegionSecret.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> RegionSecret.fromBase64("not base64!")).isInstanceOf(IllegalArgumentException.class);
        byte[] key = new byte[32];
        RegionSecret s = RegionSecret.ofBytes(key);
        assertThat(s.toString())
                .doesNotContain(Base64.getEncoder().encodeToString(key))
                .contains(s.fingerprint());
    }
}
