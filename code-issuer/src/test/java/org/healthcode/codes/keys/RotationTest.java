package org.healthcode.codes.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.codes.support.TestRegions.FIVE_MINUTES;
import static org.healthcode.codes.support.TestRegions.GUANGDONG;
import static org.healthcode.codes.support.TestRegions.MONDAY_9AM;
import static org.healthcode.codes.support.TestRegions.SKEW;
import static org.healthcode.codes.support.TestRegions.issuer;
import static org.healthcode.codes.support.TestRegions.keyRing;
import static org.healthcode.codes.support.TestRegions.trustList;
import static org.healthcode.codes.support.TestRegions.verifier;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.issue.CodeIssuer;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.support.TestRegions;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.FailureReason;
import org.healthcode.codes.verify.Verdict;
import org.healthcode.codes.verify.VerdictResult;
import org.junit.jupiter.api.Test;

class RotationTest {
    private static final Duration KEEP_PREVIOUS = FIVE_MINUTES.plus(SKEW);
    private final AtomicReference<KeyRing> ring =
            new AtomicReference<>(keyRing(GUANGDONG, CoseAlgorithm.ES256, MONDAY_9AM.minus(Duration.ofDays(30))));
    private final CodeIssuer issuer = new CodeIssuer(ring::get, TestRegions.JDK, FIVE_MINUTES);

    @Test
    void codesOfTheRetiredKeyVerifyUntilTheyExpireThenNot() {
        byte[] oldKid = ring.get().current().kid();
        String before =
                issuer.issue("p-alice", Colour.GREEN, MONDAY_9AM, MONDAY_9AM).text();
        Instant rotation = MONDAY_9AM.plusSeconds(60);

        ring.set(ring.get().rotate(rotation, newKey(rotation), KEEP_PREVIOUS));
        CodeVerifier checkpoint = verifier(trustList(ring.get(), rotation));
        String after = issuer.issue("p-alice", Colour.GREEN, MONDAY_9AM, rotation.plusSeconds(1))
                .text();

        assertThat(ring.get().previous()).extracting(RegionKey::kidHex).contains(hex(oldKid));
        assertThat(checkpoint.verify(before, rotation.plusSeconds(120)).result())
                .isEqualTo(VerdictResult.VALID);
        assertThat(checkpoint.verify(after, rotation.plusSeconds(120)).result()).isEqualTo(VerdictResult.VALID);
        Instant oldCodeGone = MONDAY_9AM.plus(FIVE_MINUTES).plus(SKEW).plusSeconds(1);
        assertThat(checkpoint.verify(before, oldCodeGone).result()).isEqualTo(VerdictResult.EXPIRED);
        assertThat(checkpoint.verify(after, oldCodeGone).result()).isEqualTo(VerdictResult.VALID);
    }

    @Test
    void retiredKeyCannotVouchForCodesDatedAfterItsRetirement() {
        KeyRing original = ring.get();
        Instant rotation = MONDAY_9AM;
        KeyRing rotated = original.rotate(rotation, newKey(rotation), KEEP_PREVIOUS);
        // A thief holding the retired key signs a fresh code: the list says that key stopped signing at rotation.
        KeyRing stolen = new KeyRing(GUANGDONG, original.current(), original.next(), java.util.List.of());
        String forged = issuer(stolen)
                .issue("p-mallory", Colour.GREEN, rotation, rotation.plus(Duration.ofHours(1)))
                .text();

        Verdict v = verifier(trustList(rotated, rotation)).verify(forged, rotation.plus(Duration.ofHours(1)));
        assertThat(v.result()).isEqualTo(VerdictResult.WRONG_KEY_USAGE);
        assertThat(v.reason()).contains(FailureReason.SIGNED_OUTSIDE_KEY_VALIDITY);
    }

    @Test
    void nextKeyIsPublishedBeforeItSignsAndPreviousKeysAreDroppedOnceTheirCodesExpired() {
        KeyRing first = ring.get();
        assertThat(trustList(first, MONDAY_9AM).keys())
                .extracting(k -> k.status())
                .containsExactly("current", "next");

        KeyRing second = first.rotate(MONDAY_9AM, newKey(MONDAY_9AM), KEEP_PREVIOUS);
        assertThat(second.current().kidHex()).isEqualTo(first.next().kidHex());
        assertThat(second.previous()).hasSize(1);

        Instant muchLater = MONDAY_9AM.plus(Duration.ofDays(1));
        KeyRing third = second.rotate(muchLater, newKey(muchLater), KEEP_PREVIOUS);
        assertThat(third.previous())
                .extracting(RegionKey::kidHex)
                .containsExactly(second.current().kidHex());
    }

    private static RegionKey newKey(Instant now) {
        return KeyGeneration.generate(GUANGDONG, CoseAlgorithm.ES256, now, Duration.ofDays(90));
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
