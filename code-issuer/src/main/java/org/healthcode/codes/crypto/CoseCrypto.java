package org.healthcode.codes.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.EnumMap;
import java.util.Map;
import org.healthcode.codes.format.CoseAlgorithm;

/**
 * Signs and verifies COSE signatures with a chosen provider.
 *
 * <p>ES256 in COSE is the raw r||s pair (IEEE P1363), not the DER that JCA's plain "SHA256withECDSA" uses: the JDK's
 * "SHA256withECDSAinP1363Format" and BouncyCastle's "SHA256withPLAIN-ECDSA" take and give r||s directly, so no DER
 * conversion is needed. {@link Signature} objects are not thread-safe and costly to look up; each thread keeps its own.
 *
 * <p>Hot paths (issuing, verifying codes) use {@link #prepareSigner} / {@link #prepareVerifier}: the key is converted
 * once, and each thread keeps a {@link Signature} already initialised with it (a JCA signature returns to its
 * initialised state after {@code sign()}/{@code verify()}, so no per-call {@code init}). (Measured: going around JCA
 * to BouncyCastle's lightweight Ed25519/ECDSA classes saved nothing further; the signature itself is the cost.)
 */
public final class CoseCrypto {
    private final CryptoProvider provider;
    private final ThreadLocal<Map<CoseAlgorithm, Signature>> signatures;

    public CoseCrypto(CryptoProvider provider) {
        this.provider = provider;
        this.signatures = ThreadLocal.withInitial(() -> new EnumMap<>(CoseAlgorithm.class));
    }

    public CryptoProvider provider() {
        return provider;
    }

    public byte[] sign(CoseAlgorithm algorithm, PrivateKey key, byte[] toBeSigned) {
        try {
            Signature s = signature(algorithm);
            s.initSign(key);
            s.update(toBeSigned);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + algorithm + " on " + provider + ": " + e, e);
        }
    }

    /** False for any signature that does not verify, including one of the wrong shape or for the wrong key type. */
    public boolean verify(CoseAlgorithm algorithm, PublicKey key, byte[] toBeSigned, byte[] signature) {
        if (algorithm == CoseAlgorithm.ES256 && signature.length != 64) {
            return false;
        }
        try {
            Signature s = signature(algorithm);
            s.initVerify(key);
            s.update(toBeSigned);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A signer for many signatures with one key; see the class comment. */
    public PreparedSigner prepareSigner(CoseAlgorithm algorithm, PrivateKey key) {
        PrivateKey own = importPrivate(key);
        ThreadLocal<Signature> initialised = ThreadLocal.withInitial(() -> {
            try {
                Signature s = newSignature(algorithm);
                s.initSign(own);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign with " + algorithm + " on " + provider + ": " + e, e);
            }
        });
        return tbs -> {
            try {
                Signature s = initialised.get();
                s.update(tbs);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign with " + algorithm + " on " + provider + ": " + e, e);
            }
        };
    }

    /**
     * A verifier for many signatures with one key; see the class comment. Fails at once (IllegalArgumentException)
     * for a key that does not suit the algorithm, rather than at every signature.
     */
    public PreparedVerifier prepareVerifier(CoseAlgorithm algorithm, PublicKey key) {
        PublicKey own = importPublic(key);
        ThreadLocal<Signature> initialised = ThreadLocal.withInitial(() -> {
            try {
                Signature s = newSignature(algorithm);
                s.initVerify(own);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot verify " + algorithm + " on " + provider + ": " + e, e);
            }
        });
        initialised.get(); // a key of the wrong type fails here, once
        return (tbs, sig) -> {
            if (algorithm == CoseAlgorithm.ES256 && sig.length != 64) {
                return false;
            }
            Signature s = initialised.get();
            try {
                s.update(tbs);
                return s.verify(sig);
            } catch (GeneralSecurityException | RuntimeException e) {
                // a failed verify may leave the object mid-update: start this thread afresh
                initialised.remove();
                return false;
            }
        };
    }

    /** Re-creates a private key in this provider's own key classes (BouncyCastle's EdDSA does not take JDK keys). */
    public PrivateKey importPrivate(PrivateKey key) {
        try {
            return keyFactory(key).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot import " + key.getAlgorithm() + " private key: " + e, e);
        }
    }

    public PublicKey importPublic(PublicKey key) {
        try {
            return keyFactory(key).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot import " + key.getAlgorithm() + " public key: " + e, e);
        }
    }

    /** Reads a SubjectPublicKeyInfo of the key type the algorithm needs. */
    public PublicKey publicKeyFromSpki(CoseAlgorithm algorithm, byte[] spki) throws GeneralSecurityException {
        return keyFactory(algorithm.keyType()).generatePublic(new X509EncodedKeySpec(spki));
    }

    private KeyFactory keyFactory(Key key) throws GeneralSecurityException {
        String alg = key.getAlgorithm();
        return keyFactory(alg.equals("EdDSA") ? "Ed25519" : alg);
    }

    private KeyFactory keyFactory(String keyType) throws GeneralSecurityException {
        Provider p = provider.provider();
        return p == null ? KeyFactory.getInstance(keyType) : KeyFactory.getInstance(keyType, p);
    }

    private Signature signature(CoseAlgorithm algorithm) throws GeneralSecurityException {
        Map<CoseAlgorithm, Signature> cache = signatures.get();
        Signature s = cache.get(algorithm);
        if (s == null) {
            s = newSignature(algorithm);
            cache.put(algorithm, s);
        }
        return s;
    }

    private Signature newSignature(CoseAlgorithm algorithm) throws GeneralSecurityException {
        Provider p = provider.provider();
        String name = switch (algorithm) {
            case ES256 -> p == null ? "SHA256withECDSAinP1363Format" : "SHA256withPLAIN-ECDSA";
            case EDDSA -> "Ed25519";
            case PS256 -> p == null ? "RSASSA-PSS" : "SHA256withRSAandMGF1";
        };
        Signature s = p == null ? Signature.getInstance(name) : Signature.getInstance(name, p);
        if (algorithm == CoseAlgorithm.PS256) {
            pss(s);
        }
        return s;
    }

    private static void pss(Signature s) throws InvalidAlgorithmParameterException {
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    }
}
