package org.healthcode.codes.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.codes.support.TestRegions.FIVE_MINUTES;
import static org.healthcode.codes.support.TestRegions.GUANGDONG;
import static org.healthcode.codes.support.TestRegions.MONDAY_9AM;
import static org.healthcode.codes.support.TestRegions.SHANGHAI;
import static org.healthcode.codes.support.TestRegions.SKEW;
import static org.healthcode.codes.support.TestRegions.codeOf;
import static org.healthcode.codes.support.TestRegions.coseOf;
import static org.healthcode.codes.support.TestRegions.issuer;
import static org.healthcode.codes.support.TestRegions.keyRing;
import static org.healthcode.codes.support.TestRegions.trustList;
import static org.healthcode.codes.support.TestRegions.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.healthcode.codes.format.Cbor;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.format.CoseSign1;
import org.healthcode.codes.issue.CodePrefix;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListKey;
import org.junit.jupiter.api.Test;

class CodeVerifierTest {
    private static final Instant SINCE = MONDAY_9AM.minus(Duration.ofDays(2));
    private final KeyRing guangdong = keyRing(GUANGDONG, CoseAlgorithm.ES256, MONDAY_9AM.minus(Duration.ofDays(1)));
    private final TrustList guangdongList = trustList(guangdong, MONDAY_9AM);
    private final CodeVerifier checkpoint = verifier(guangdongList);
    private final IssuedCode yellowCode = issuer(guangdong).issue("p-alice", Colour.YELLOW, SINCE, MONDAY_9AM);

    @Test
    void issuedCodeVerifiesWithColourAndPayload() throws Exception {
        Verdict v = checkpoint.verify(yellowCode.text(), MONDAY_9AM.plusSeconds(60));

        assertThat(v.result()).isEqualTo(VerdictResult.VALID);
        JsonNode line = new ObjectMapper().readTree(v.toJsonLine());
        assertThat(line.get("result").asText()).isEqualTo("valid");
        assertThat(line.get("colour").asText()).isEqualTo("yellow");
        assertThat(line.path("payload").has("sub")).isFalse(); // the subject is for the issuing region alone
        assertThat(v.subject()).contains("p-alice");
        assertThat(line.at("/payload/iss").asText()).isEqualTo(GUANGDONG);
        assertThat(line.at("/payload/since").asText()).isEqualTo(SINCE.toString());
        assertThat(line.at("/payload/exp").asText())
                .isEqualTo(MONDAY_9AM.plus(FIVE_MINUTES).toString());
        assertThat(v.toJsonLine()).doesNotContain("\n");
    }

    @Test
    void codeCarriesOnlyTheDocumentedClaimsAndKidInTheProtectedHeader() throws Exception {
        CoseSign1 cose = CoseSign1.decode(coseOf(yellowCode.text()));
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = Cbor.read(cose.payload()).fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertThat(keys).containsExactlyInAnyOrder("1", "2", "4", "6", "7", "-65537", "-65538");
        assertThat(cose.protectedKid()).get().isEqualTo(guangdong.current().kid());
        assertThat(cose.algorithmId()).hasValue(-7);
        assertThat(yellowCode.text()).startsWith("HCR1:");
    }

    @Test
    void flippedSignatureByteIsBadSignature() {
        byte[] cose = coseOf(yellowCode.text());
        cose[cose.length - 1] ^= 0x01;

        assertResult(codeOf(cose), MONDAY_9AM, VerdictResult.BAD_SIGNATURE);
    }

    @Test
    void flippedPayloadByteIsBadSignatureBeforeAnyClaimIsRead() throws Exception {
        byte[] cose = coseOf(yellowCode.text());
        byte[] payload = CoseSign1.decode(cose).payload();
        int at = indexOf(cose, payload) + payload.length - 3; // inside "since": still well-formed CBOR
        cose[at] ^= 0x10;

        assertResult(codeOf(cose), MONDAY_9AM, VerdictResult.BAD_SIGNATURE);
    }

    @Test
    void codePastItsExpiryPlusSkewIsExpired() {
        Instant justAfter = MONDAY_9AM.plus(FIVE_MINUTES).plus(SKEW).plusSeconds(1);
        assertResult(yellowCode.text(), justAfter, VerdictResult.EXPIRED);
        assertResult(yellowCode.text(), justAfter.minusSeconds(2), VerdictResult.VALID);
    }

    @Test
    void aCodeMintedWithALifetimeBeyondTheMaximumIsRefusedEvenBeforeItsExpiry() {
        // a leaked key's holder signs a code valid for a year: signature and key window are fine, the lifetime is not
        IssuedCode minted = new org.healthcode.codes.issue.CodeIssuer(
                        () -> guangdong, org.healthcode.codes.support.TestRegions.JDK, Duration.ofDays(365))
                .issue("p-alice", Colour.GREEN, SINCE, MONDAY_9AM);
        Verdict v = checkpoint.verify(minted.text(), MONDAY_9AM.plus(Duration.ofHours(2)));
        assertThat(v.result()).isEqualTo(VerdictResult.EXPIRED);
        assertThat(v.reason()).contains(FailureReason.LIFETIME_TOO_LONG);
        IssuedCode longest = new org.healthcode.codes.issue.CodeIssuer(
                        () -> guangdong, org.healthcode.codes.support.TestRegions.JDK, CodeVerifier.MAX_CODE_LIFETIME)
                .issue("p-alice", Colour.GREEN, SINCE, MONDAY_9AM);
        assertResult(longest.text(), MONDAY_9AM.plus(Duration.ofHours(2)), VerdictResult.VALID);
    }

    @Test
    void aKeyPublishedAsWithdrawnIsNotTrusted() {
        List<TrustListKey> keys = new ArrayList<>();
        for (TrustListKey k : guangdongList.keys()) {
            boolean signer = k.kid()
                    .equals(java.util.Base64.getEncoder()
                            .encodeToString(guangdong.current().kid()));
            keys.add(new TrustListKey(
                    k.kid(),
                    k.alg(),
                    k.publicKey(),
                    k.notBefore(),
                    k.notAfter(),
                    k.usage(),
                    signer ? TrustListKey.STATUS_WITHDRAWN : k.status()));
        }
        TrustList withdrawn =
                new TrustList(GUANGDONG, MONDAY_9AM, MONDAY_9AM.plus(Duration.ofDays(1)), keys, Optional.empty());
        assertThat(verifier(withdrawn).verify(yellowCode.text(), MONDAY_9AM).result())
                .isEqualTo(VerdictResult.UNKNOWN_KEY);
        assertResult(yellowCode.text(), MONDAY_9AM, VerdictResult.VALID);
    }

    @Test
    void codeFromTheFutureBeyondSkewIsNotYetValid() {
        assertResult(yellowCode.text(), MONDAY_9AM.minus(SKEW).minusSeconds(1), VerdictResult.NOT_YET_VALID);
        assertResult(yellowCode.text(), MONDAY_9AM.minus(SKEW), VerdictResult.VALID);
    }

    @Test
    void codeSignedByAKeyInNoTrustListIsUnknownKey() {
        KeyRing rogue = keyRing(GUANGDONG, CoseAlgorithm.ES256, MONDAY_9AM);
        String code =
                issuer(rogue).issue("p-alice", Colour.GREEN, SINCE, MONDAY_9AM).text();

        assertResult(code, MONDAY_9AM, VerdictResult.UNKNOWN_KEY);
    }

    @Test
    void anotherRegionsCodeVerifiesOnlyWhenItsListIsLoaded() {
        KeyRing shanghai = keyRing(SHANGHAI, CoseAlgorithm.EDDSA, MONDAY_9AM.minus(Duration.ofDays(1)));
        String traveller =
                issuer(shanghai).issue("p-bob", Colour.GREEN, SINCE, MONDAY_9AM).text();

        assertThat(checkpoint.verify(traveller, MONDAY_9AM).result()).isEqualTo(VerdictResult.UNKNOWN_KEY);
        Verdict both = verifier(guangdongList, trustList(shanghai, MONDAY_9AM)).verify(traveller, MONDAY_9AM);
        assertThat(both.result()).isEqualTo(VerdictResult.VALID);
        assertThat(both.payload()).get().extracting(p -> p.get("iss").asText()).isEqualTo(SHANGHAI);
    }

    @Test
    void truncatedBase45IsMalformed() {
        String text = yellowCode.text();
        assertResult(text.substring(0, text.length() - 1), MONDAY_9AM, VerdictResult.MALFORMED); // lone last char
        assertResult(text.substring(0, text.length() - 30), MONDAY_9AM, VerdictResult.MALFORMED); // zlib cut short
    }

    @Test
    void wrongPrefixIsMalformedAndOtherVersionUnsupported() {
        String body = CodePrefix.body(yellowCode.text());
        assertResult("XYZ1:" + body, MONDAY_9AM, VerdictResult.MALFORMED);
        assertResult(body, MONDAY_9AM, VerdictResult.MALFORMED);
        assertResult("HCR2:" + body, MONDAY_9AM, VerdictResult.UNSUPPORTED_VERSION);
    }

    @Test
    void keyPublishedForAnotherUseIsWrongKeyUsage() {
        List<TrustListKey> keys = new ArrayList<>();
        for (TrustListKey k : guangdongList.keys()) {
            keys.add(new TrustListKey(
                    k.kid(), k.alg(), k.publicKey(), k.notBefore(), k.notAfter(), List.of("trust-list"), k.status()));
        }
        TrustList otherUse =
                new TrustList(GUANGDONG, MONDAY_9AM, MONDAY_9AM.plus(Duration.ofDays(1)), keys, Optional.empty());

        Verdict v = verifier(otherUse).verify(yellowCode.text(), MONDAY_9AM);
        assertThat(v.result()).isEqualTo(VerdictResult.WRONG_KEY_USAGE);
        assertThat(v.reason()).contains(FailureReason.KEY_NOT_FOR_THIS_USE);
    }

    @Test
    void keyOfOneRegionClaimingAnotherIssuerIsWrongKeyUsage() {
        TrustList publishedAsShanghai = new TrustList(
                SHANGHAI, MONDAY_9AM, MONDAY_9AM.plus(Duration.ofDays(1)), guangdongList.keys(), Optional.empty());

        Verdict v = verifier(publishedAsShanghai).verify(yellowCode.text(), MONDAY_9AM);
        assertThat(v.result()).isEqualTo(VerdictResult.WRONG_KEY_USAGE);
        assertThat(v.reason()).contains(FailureReason.ISSUER_NOT_KEY_REGION);
    }

    @Test
    void expiredTrustListGivesItsOwnResult() {
        Instant afterList = guangdongList.expiresAt().plusSeconds(1);
        String code = issuer(guangdong)
                .issue("p-alice", Colour.GREEN, SINCE, afterList)
                .text();

        assertResult(code, afterList, VerdictResult.TRUST_LIST_EXPIRED);
    }

    @Test
    void edDsaCodesVerifyToo() {
        KeyRing ed = keyRing(GUANGDONG, CoseAlgorithm.EDDSA, MONDAY_9AM);
        String code = issuer(ed).issue("p-carol", Colour.RED, SINCE, MONDAY_9AM).text();

        Verdict v = verifier(trustList(ed, MONDAY_9AM)).verify(code, MONDAY_9AM);
        assertThat(v.result()).isEqualTo(VerdictResult.VALID);
        assertThat(v.colour()).contains("red");
        assertThat(CoseSign1Alg.of(code)).isEqualTo(-8);
    }

    @Test
    void garbageInputIsMalformedNotAnException() {
        assertResult("", MONDAY_9AM, VerdictResult.MALFORMED);
        assertResult("HCR1:", MONDAY_9AM, VerdictResult.MALFORMED);
        assertResult("HCR1:%%%", MONDAY_9AM, VerdictResult.MALFORMED);
        assertResult(
                codeOf(new byte[] {(byte) 0x84, 0x40, (byte) 0xa0, 0x40, 0x40}), MONDAY_9AM, VerdictResult.MALFORMED);
    }

    private void assertResult(String code, Instant at, VerdictResult expected) {
        Verdict v = checkpoint.verify(code, at);
        assertThat(v.result()).as(v.toJsonLine()).isEqualTo(expected);
        assertThat(v.payload())
                .as("payload only when valid")
                .isEqualTo(expected == VerdictResult.VALID ? v.payload() : Optional.empty());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }

    /** Reads the alg label of a code. */
    private static final class CoseSign1Alg {
        static long of(String code) {
            try {
                return CoseSign1.decode(coseOf(code)).algorithmId().orElseThrow();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
