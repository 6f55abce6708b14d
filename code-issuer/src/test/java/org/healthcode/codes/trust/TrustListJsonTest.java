package org.healthcode.codes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.healthcode.codes.support.TestRegions.GUANGDONG;
import static org.healthcode.codes.support.TestRegions.JDK;
import static org.healthcode.codes.support.TestRegions.MONDAY_9AM;
import static org.healthcode.codes.support.TestRegions.keyRing;
import static org.healthcode.codes.support.TestRegions.trustList;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.KeyGeneration;
import org.junit.jupiter.api.Test;

class TrustListJsonTest {
    private final TrustList list = trustList(keyRing(GUANGDONG, CoseAlgorithm.ES256, MONDAY_9AM), MONDAY_9AM);
    private final KeyPair hub = KeyGeneration.keyPair(CoseAlgorithm.ES256);

    @Test
    void writtenListReadsBackEqual() throws Exception {
        String json = TrustListJson.write(list);

        assertThat(TrustListJson.read(json)).isEqualTo(list);
        assertThat(json).contains("\"format\" : \"healthcode-trust-list\"", "\"usage\" : [ \"health-code\" ]");
    }

    @Test
    void hubSignatureVerifiesAndSurvivesTheFile() throws Exception {
        TrustList signed = HubSignatures.sign(list, hub.getPrivate(), hub.getPublic(), CoseAlgorithm.ES256, JDK);
        TrustList reread = TrustListJson.read(TrustListJson.write(signed));

        HubSignatures.verify(reread, hub.getPublic(), JDK);
        assertThat(TrustStore.of(List.of(reread), JDK, List.of(hub.getPublic()))
                        .byKid(java.util.Base64.getDecoder()
                                .decode(list.keys().get(0).kid())))
                .hasSize(1);
    }

    @Test
    void tamperedOrUnsignedListIsRefusedWhenAHubKeyIsConfigured() throws Exception {
        TrustList signed = HubSignatures.sign(list, hub.getPrivate(), hub.getPublic(), CoseAlgorithm.ES256, JDK);
        TrustList extended = new TrustList(
                signed.region(),
                signed.issuedAt(),
                signed.expiresAt().plus(Duration.ofDays(365)),
                signed.keys(),
                signed.hubSignature());

        assertThatThrownBy(() -> TrustStore.of(List.of(extended), JDK, List.of(hub.getPublic())))
                .isInstanceOf(TrustListException.class)
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() -> TrustStore.of(List.of(list), JDK, List.of(hub.getPublic())))
                .isInstanceOf(TrustListException.class)
                .hasMessageContaining("no hub signature");
    }

    @Test
    void notATrustListIsRefused() {
        assertThatThrownBy(() -> TrustListJson.read("{\"format\":\"something-else\",\"version\":1}"))
                .isInstanceOf(TrustListException.class);
        assertThatThrownBy(() -> TrustListJson.read("[not json")).isInstanceOf(TrustListException.class);
    }
}
