package org.healthcode.codes.dcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.support.TestCorpus;
import org.healthcode.codes.verify.Verdict;
import org.healthcode.codes.verify.VerdictResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whole-pipeline verdicts for corpus files whose single failing step is known. */
class DccVerifierTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "DE/2DCode/raw/1.json, VALID",
        "common/2DCode/raw/CO1.json, VALID", // PS256 (RSA 2048)
        "common/2DCode/raw/CO19.json, VALID", // kid only in the unprotected header
        "common/2DCode/raw/CO28.json, VALID", // CWT tag around COSE_Sign1 tag
        "common/2DCode/raw/CO5.json, BAD_SIGNATURE",
        "common/2DCode/raw/CO22.json, UNKNOWN_KEY",
        "common/2DCode/raw/CO16.json, NOT_YET_VALID",
        "common/2DCode/raw/CO17.json, EXPIRED",
        "common/2DCode/raw/CO6.json, WRONG_KEY_USAGE",
        "common/2DCode/raw/H2.json, UNSUPPORTED_VERSION",
        "common/2DCode/raw/Z1.json, MALFORMED",
    })
    void verdictOfTheWholePipeline(String file, VerdictResult expected) throws Exception {
        for (CryptoProvider provider : CryptoProvider.values()) {
            assertThat(verify(file, provider).result())
                    .as("%s with %s", file, provider)
                    .isEqualTo(expected);
        }
    }

    @Test
    void validCertificateReturnsTheDecodedHcert() throws Exception {
        Verdict v = verify("DE/2DCode/raw/1.json", CryptoProvider.JDK);
        JsonNode raw = read("DE/2DCode/raw/1.json");

        assertThat(v.payload()).get().satisfies(p -> {
            assertThat(p.get("hcert").get("nam")).isEqualTo(raw.get("JSON").get("nam"));
            assertThat(p.get("certificateType").asText()).isIn("vaccination", "test", "recovery");
        });
    }

    private static Verdict verify(String file, CryptoProvider provider) throws Exception {
        JsonNode raw = read(file);
        String text = raw.get("PREFIX").asText();
        DccVerifier verifier = new DccVerifier(
                DscList.of(List.of(DscList.parse(raw.at("/TESTCTX/CERTIFICATE").asText()))),
                new CoseCrypto(provider),
                Duration.ZERO);
        return verifier.verify(
                text,
                org.healthcode.codes.verify.IsoInstants.parse(
                        raw.at("/TESTCTX/VALIDATIONCLOCK").asText()));
    }

    private static JsonNode read(String file) throws Exception {
        return new ObjectMapper()
                .readTree(TestCorpus.directory("dcc").resolve(file).toFile());
    }
}
