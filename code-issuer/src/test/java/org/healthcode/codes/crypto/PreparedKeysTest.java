package org.healthcode.codes.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.KeyGeneration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keys prepared once sign and verify interchangeably with the per-call path, across providers and threads. */
class PreparedKeysTest {
    private static final CoseCrypto JDK = new CoseCrypto(CryptoProvider.JDK);
    private static final CoseCrypto BC = new CoseCrypto(CryptoProvider.BC);
    private static final byte[] MESSAGE = "Signature1 of a health code".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(
            value = CoseAlgorithm.class,
            names = {"ES256", "EDDSA"})
    void aSignatureFromOneProviderVerifiesWithTheOther(CoseAlgorithm alg) {
        KeyPair pair = KeyGeneration.keyPair(alg);
        for (CoseCrypto signer : List.of(JDK, BC)) {
            byte[] sig = signer.prepareSigner(alg, pair.getPrivate()).sign(MESSAGE);
            for (CoseCrypto verifier : List.of(JDK, BC)) {
                PreparedVerifier v = verifier.prepareVerifier(alg, pair.getPublic());
                assertThat(v.verify(MESSAGE, sig))
                        .as(signer.provider() + " -> " + verifier.provider())
                        .isTrue();
                // the same prepared verifier again: its JCA object went back to its initialised state
                assertThat(v.verify(MESSAGE, sig)).isTrue();
                assertThat(verifier.verify(alg, pair.getPublic(), MESSAGE, sig)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = CoseAlgorithm.class,
            names = {"ES256", "EDDSA"})
    void aChangedMessageOrAMalformedSignatureIsFalseAndTheVerifierStillWorksAfterwards(CoseAlgorithm alg) {
        KeyPair pair = KeyGeneration.keyPair(alg);
        for (CoseCrypto crypto : List.of(JDK, BC)) {
            byte[] sig = crypto.prepareSigner(alg, pair.getPrivate()).sign(MESSAGE);
            PreparedVerifier v = crypto.prepareVerifier(alg, pair.getPublic());
            byte[] other = MESSAGE.clone();
            other[0] ^= 1;
            assertThat(v.verify(other, sig)).isFalse();
            assertThat(v.verify(MESSAGE, new byte[7])).isFalse();
            assertThat(v.verify(MESSAGE, new byte[64])).isFalse();
            assertThat(v.verify(MESSAGE, sig)).as("usable after failures").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void aKeyOfTheWrongTypeIsRefusedWhenPrepared(CryptoProvider provider) {
        KeyPair ed = KeyGeneration.keyPair(CoseAlgorithm.EDDSA);
        assertThatThrownBy(() -> new CoseCrypto(provider).prepareVerifier(CoseAlgorithm.ES256, ed.getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void onePreparedSignerServesManyThreadsAtOnce(CryptoProvider provider) throws Exception {
        CoseCrypto crypto = new CoseCrypto(provider);
        KeyPair pair = KeyGeneration.keyPair(CoseAlgorithm.EDDSA);
        PreparedSigner signer = crypto.prepareSigner(CoseAlgorithm.EDDSA, pair.getPrivate());
        PreparedVerifier verifier = crypto.prepareVerifier(CoseAlgorithm.EDDSA, pair.getPublic());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte[] message = ("message " + t).getBytes(StandardCharsets.UTF_8);
                work.add(() -> {
                    for (int i = 0; i < 50; i++) {
                        if (!verifier.verify(message, signer.sign(message))) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(work)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
