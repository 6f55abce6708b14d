package org.healthcode.codes.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.codes.support.TestRegions.MONDAY_9AM;
import static org.healthcode.codes.support.TestRegions.verifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.codes.verify.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A code's subject links nothing for whoever scans it; only the issuing region resolves it to the person. */
class UnlinkableSubjectTest {
    private static final String PERSON = "p-alice-7f3a9c";
    private static final Instant NOW = MONDAY_9AM;

    @TempDir
    Path dir;

    @Test
    void twoCodesOfOnePersonCarryUnrelatedSubjectsThatOnlyTheIssuingRegionResolves() throws Exception {
        RegionCodes guangdong = RegionCodes.open(CodesConfig.defaults("440000", dir.resolve("gd")), NOW);
        IssuedCode first = guangdong.issue(PERSON, Colour.GREEN, NOW.minus(Duration.ofDays(3)), NOW);
        IssuedCode second = guangdong.issue(PERSON, Colour.GREEN, NOW.minus(Duration.ofDays(3)), NOW.plusSeconds(1));

        String a = first.claims().subject();
        String b = second.claims().subject();
        assertThat(a).isNotEqualTo(b).doesNotContain(PERSON);
        assertThat(b).doesNotContain(PERSON);
        assertThat(commonPrefix(a, b))
                .as("the subjects share no prefix beyond chance")
                .isLessThan(4);
        assertThat(guangdong.resolveSubject(a)).contains(PERSON);
        assertThat(guangdong.resolveSubject(b)).contains(PERSON);

        // another region, whatever it holds, cannot open them; neither can anyone who alters one
        RegionCodes shanghai = RegionCodes.open(CodesConfig.defaults("310000", dir.resolve("sh")), NOW);
        assertThat(shanghai.resolveSubject(a)).isEmpty();
        char flipped = a.charAt(20) == 'A' ? 'B' : 'A';
        assertThat(guangdong.resolveSubject(a.substring(0, 20) + flipped + a.substring(21)))
                .isEmpty();
        // the subject key is the region's own, beside its signing keys, owner-only
        Path key = dir.resolve("gd").resolve("keys").resolve("440000").resolve(SubjectSeal.FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        // reopened, the region still resolves the codes it issued before
        assertThat(RegionCodes.open(CodesConfig.defaults("440000", dir.resolve("gd")), NOW)
                        .resolveSubject(a))
                .contains(PERSON);
    }

    @Test
    void aCheckpointVerifyingOfflineLearnsColourAndValidityButNoPersonIdentifier() throws Exception {
        RegionCodes guangdong = RegionCodes.open(CodesConfig.defaults("440000", dir.resolve("gd")), NOW);
        IssuedCode code = guangdong.issue(PERSON, Colour.YELLOW, NOW.minus(Duration.ofDays(1)), NOW);

        Verdict v = verifier(guangdong.trustList(NOW)).verify(code.text(), NOW.plusSeconds(30));

        assertThat(v.isValid()).isTrue();
        assertThat(v.colour()).contains("yellow");
        String line = v.toJsonLine();
        assertThat(line)
                .doesNotContain(PERSON)
                .doesNotContain(code.claims().subject())
                .doesNotContain("\"sub\"");
        assertThat(v.payload().orElseThrow().fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("iss", "colour", "since", "iat", "exp", "cti", "kid");
    }

    private static int commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
