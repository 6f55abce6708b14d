package org.healthcode.codes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListKey;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.VerdictResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keys withdraw KID} on a key directory a serving process is using: the process stops signing with the key and
 * its next trust list leaves it out, so checkpoints refuse the key's codes at their next refresh.
 */
class KeysWithdrawTest {
    private static final String REGION = "440000";
    private static final CoseCrypto JDK = new CoseCrypto(CryptoProvider.JDK);

    @TempDir
    Path work;

    @Test
    void aWithdrawnCurrentKeyLeavesTheNextTrustListAndItsCodesFailThere() throws Exception {
        assertThat(keys("init")).isZero();
        Instant now = Instant.now();
        RegionCodes serving = RegionCodes.open(CodesConfig.defaults(REGION, work), now);
        String before = serving.issue("p-alice", Colour.GREEN, now.minusSeconds(60), now)
                .text();
        String compromised = serving.keyRing().current().kidBase64();
        assertThat(verify(serving.trustList(now), before, now)).isEqualTo(VerdictResult.VALID);

        assertThat(keys("withdraw", compromised)).isZero();
        Thread.sleep(1_100); // the serving process looks at its key files at most once a second

        TrustList next = serving.trustList(now);
        assertThat(next.keys()).extracting(TrustListKey::kid).doesNotContain(compromised);
        assertThat(verify(next, before, now)).isEqualTo(VerdictResult.UNKNOWN_KEY);
        String after = serving.issue("p-alice", Colour.GREEN, now.minusSeconds(60), now)
                .text();
        assertThat(verify(next, after, now)).isEqualTo(VerdictResult.VALID);
        assertThat(serving.keyRing().current().kidBase64()).isNotEqualTo(compromised);
    }

    @Test
    void withdrawingAKeyThatIsNotInTheRingFails() {
        assertThat(keys("init")).isZero();
        assertThat(keys("withdraw", "AAAAAAAAAAA=")).isEqualTo(2);
    }

    private int keys(String... words) {
        List<String> args = new java.util.ArrayList<>(List.of(words));
        args.addAll(List.of("--work-dir", work.toString(), "--region", REGION));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return KeysMain.run(
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static VerdictResult verify(TrustList list, String code, Instant now) throws Exception {
        return new CodeVerifier(
                        TrustStore.of(List.of(list), JDK, List.of()), JDK, Duration.ofSeconds(30), Optional.empty())
                .verify(code, now)
                .result();
    }
}
