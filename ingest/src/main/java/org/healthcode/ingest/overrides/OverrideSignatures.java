package org.healthcode.ingest.overrides;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Locale;

/**
 * Override decisions travel signed: the serving process, which authenticated the operator, signs each override
 * event (Ed25519) over its decided fields, and the job accepts an override event only with a valid signature of that
 * key. A forged event on the overrides topic, or one whose operator was changed, is rejected at decoding; an archive
 * keeps the signatures, so a replay verifies and reproduces every decision.
 *
 * <p>Operator ids are compared in one canonical form ({@link #canonicalOperator}): Unicode NFKC, surrounding
 * whitespace removed, lower case; "Op-Chen" and "op-chen" are one person.
 */
public final class OverrideSignatures {
    /** The event field holding the signature, base64url without padding. */
    public static final String FIELD = "signature";
    /** File names of a key pair in a key directory. */
    public static final String PRIVATE_KEY_FILE = "override-signing.key";

    public static final String PUBLIC_KEY_FILE = "override-signing.pub";

    private static final String ALGORITHM = "Ed25519";

    private OverrideSignatures() {}

    /** The canonical form of an operator id: NFKC, stripped, lower case (root locale). */
    public static String canonicalOperator(String raw) {
        return Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The bytes signed for an override event in its flat JSON form (a JSON line, or a Protobuf event through
     * {@link org.healthcode.ingest.wire.EventTrees}): every field but the signature, by name, each name and value
     * length-prefixed so no two different events give the same bytes.
     */
    public static byte[] signedBytes(JsonNode tree) {
        StringBuilder sb = new StringBuilder("healthcode-override-v1");
        java.util.List<String> names = new java.util.ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        for (String name : names) {
            if (name.equals(FIELD)) {
                continue;
            }
            JsonNode v = tree.get(name);
            String text = v.isValueNode() ? v.asText() : v.toString();
            sb.append('|')
                    .append(name.length())
                    .append(':')
                    .append(name)
                    .append('=')
                    .append(text.length())
                    .append(':')
                    .append(text);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Signs override events: held by the serving process only. */
    public static final class Signer {
        private final PrivateKey key;

        public Signer(PrivateKey key) {
            this.key = key;
        }

        public String sign(JsonNode tree) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initSign(key);
                s.update(signedBytes(tree));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
            } catch (GeneralSecurityException ex) {
                throw new IllegalStateException("cannot sign an override event", ex);
            }
        }
    }

    /** Checks override events' signatures: the job's side. Serializable (it travels inside the decoder). */
    public static final class Verifier implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] publicKey;
        private transient PublicKey key;

        public Verifier(PublicKey key) {
            this.publicKey = key.getEncoded();
            this.key = key;
        }

        /** True when {@code signature} (base64url) is the signer's over the event {@code tree}. */
        public boolean verify(JsonNode tree, String signature) {
            if (signature == null || signature.isEmpty()) {
                return false;
            }
            try {
                if (key == null) {
                    key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(publicKey));
                }
                Signature s = Signature.getInstance(ALGORITHM);
                s.initVerify(key);
                s.update(signedBytes(tree));
                return s.verify(Base64.getUrlDecoder().decode(signature));
            } catch (IllegalArgumentException | GeneralSecurityException ex) {
                return false;
            }
        }
    }

    /** A new key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /**
     * The key pair in {@code dir}, made on first use: the private key readable by its owner only, the public key
     * to give to the job ({@code --override-key}).
     */
    public static KeyPair openOrCreate(Path dir) throws IOException {
        Path priv = dir.resolve(PRIVATE_KEY_FILE);
        Path pub = dir.resolve(PUBLIC_KEY_FILE);
        if (!Files.exists(priv)) {
            Files.createDirectories(dir);
            KeyPair pair = generate();
            Path tmp = dir.resolve(PRIVATE_KEY_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    tmp, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
            Files.writeString(
                    pub, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n");
            Files.move(tmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return pair;
        }
        return new KeyPair(readPublic(pub), readPrivate(priv));
    }

    /** A public key file as {@link #openOrCreate} writes it (base64 X.509 SubjectPublicKeyInfo). */
    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder()
                            .decode(Files.readString(file).strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": not an " + ALGORITHM + " public key", e);
        }
    }

    /** A private key file as {@link #openOrCreate} writes it (base64 PKCS#8). */
    public static PrivateKey readPrivate(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                            .decode(Files.readString(file).strip())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + ": not an " + ALGORITHM + " private key", e);
        }
    }
}
