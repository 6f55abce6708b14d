package org.healthcode.codes.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.healthcode.codes.support.TestRegions.GUANGDONG;
import static org.healthcode.codes.support.TestRegions.MONDAY_9AM;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.support.TestRegions;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.verify.VerdictResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingStoreTest {
    @TempDir
    Path workDir;

    @Test
    void firstStartGeneratesKeysAndTheSecondLoadsTheSame() throws IOException {
        KeyRing first = KeyRingStore.openOrCreateForDevelopment(
                workDir, GUANGDONG, CoseAlgorithm.EDDSA, MONDAY_9AM, Duration.ofDays(90));
        KeyRing second = KeyRingStore.openOrCreateForDevelopment(
                workDir, GUANGDONG, CoseAlgorithm.EDDSA, MONDAY_9AM.plusSeconds(60), Duration.ofDays(90));

        Path dir = KeyRingStore.regionDirectory(workDir, GUANGDONG);
        assertThat(dir.resolve("keystore.p12")).isRegularFile();
        assertThat(dir.resolve("keyring.json")).isRegularFile();
        assertThat(second.current().kidHex()).isEqualTo(first.current().kidHex());
        assertThat(second.next().kidHex()).isEqualTo(first.next().kidHex());
        assertThat(second.current().privateKey().getEncoded())
                .isEqualTo(first.current().privateKey().getEncoded());
        assertThat(second.current().notAfter()).isEqualTo(first.current().notAfter());
    }

    @Test
    void rotationIsSavedAndCodesFromTheReloadedRingVerify() throws Exception {
        CodesConfig config = CodesConfig.defaults(GUANGDONG, workDir);
        RegionCodes codes = RegionCodes.open(config, MONDAY_9AM);
        String oldCurrent = codes.keyRing().current().kidHex();
        codes.rotate(MONDAY_9AM.plusSeconds(10));

        RegionCodes reopened = RegionCodes.open(config, MONDAY_9AM.plusSeconds(20));
        assertThat(reopened.keyRing().previous()).extracting(RegionKey::kidHex).containsExactly(oldCurrent);
        String code = reopened.issue("p-alice", Colour.GREEN, MONDAY_9AM, MONDAY_9AM.plusSeconds(20))
                .text();
        Path listFile = reopened.writeTrustList(workDir.resolve("trust").resolve("440000.json"), MONDAY_9AM);
        assertThat(TestRegions.verifier(TrustListJson.read(listFile))
                        .verify(code, MONDAY_9AM.plusSeconds(30))
                        .result())
                .isEqualTo(VerdictResult.VALID);
    }

    @Test
    void wrongPasswordDoesNotOpenTheKeystore() throws IOException {
        KeyRingStore.openOrCreateForDevelopment(
                workDir, GUANGDONG, CoseAlgorithm.ES256, MONDAY_9AM, Duration.ofDays(1));
        Path dir = KeyRingStore.regionDirectory(workDir, GUANGDONG);

        assertThatThrownBy(() -> new KeyRingStore(dir, "not-it".toCharArray()).load())
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(dir.resolve("keyring.json"))).doesNotContain("PRIVATE");
    }

    @Test
    void invalidConfigurationReportsEveryProblem() {
        CodesConfig bad = new CodesConfig(
                "44",
                null,
                null,
                CoseAlgorithm.PS256,
                null,
                Duration.ofDays(3),
                Duration.ofMinutes(1),
                Duration.ZERO,
                Duration.ofHours(1));

        assertThat(bad.validate()).hasSize(8);
        assertThat(CodesConfig.defaults(GUANGDONG, workDir).validate()).isEmpty();
    }
}
