package org.healthcode.codes.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.healthcode.codes.format.CoseAlgorithm;

/**
 * Keeps a region's {@link KeyRing} on disk: private keys in a PKCS#12 keystore (alias = kid in hex), roles and signing
 * windows in {@code keyring.json} beside it.
 *
 * <p>Layout of a key directory ({@code <work-dir>/keys/<region>/} in development):
 * <pre>
 *   keystore.p12        PKCS#12; each entry a private key with a self-signed holder certificate (PKCS#12 needs one)
 *   keyring.json        {"region", "algorithm", "current": kidHex, "next": kidHex, "keys": [{kid, notBefore, notAfter}]}
 *   keystore.password   development only: a random password generated with the keys (mode 600); in production the
 *                       password comes from the environment ({@value #PASSWORD_ENV}) and this file does not exist
 * </pre>
 * The work directory is never committed (it is in .gitignore at the project root).
 */
public final class KeyRingStore {
    public static final String PASSWORD_ENV = "HEALTHCODE_KEYSTORE_PASSWORD";
    static final String KEYSTORE_FILE = "keystore.p12";
    static final String METADATA_FILE = "keyring.json";
    static final String PASSWORD_FILE = "keystore.password";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final char[] password;

    public KeyRingStore(Path directory, char[] password) {
        this.directory = directory;
        this.password = password.clone();
    }

    /** The key directory of a region under a work directory. */
    public static Path regionDirectory(Path workDir, String region) {
        return workDir.resolve("keys").resolve(region);
    }

    public Path directory() {
        return directory;
    }

    /** When the ring's metadata was last written, or null when there is none. */
    public java.nio.file.attribute.FileTime lastModified() {
        try {
            return Files.getLastModifiedTime(directory.resolve(METADATA_FILE));
        } catch (IOException e) {
            return null;
        }
    }

    public boolean exists() {
        return Files.exists(directory.resolve(KEYSTORE_FILE)) && Files.exists(directory.resolve(METADATA_FILE));
    }

    /**
     * Development start: loads the region's ring from the work directory, or generates a current and a next key
     * (and a random keystore password) there on first start.
     */
    public static KeyRing openOrCreateForDevelopment(
            Path workDir, String region, CoseAlgorithm algorithm, Instant now, Duration signingWindow)
            throws IOException {
        Path dir = regionDirectory(workDir, region);
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        if (Files.exists(dir.resolve(KEYSTORE_FILE))) {
            KeyRingStore store = new KeyRingStore(dir, passwordFor(dir));
            return store.load();
        }
        OwnerOnly.directory(dir);
        char[] password = randomPassword();
        writePrivately(passwordFile, new String(password));
        KeyRing ring = new KeyRing(
                region,
                KeyGeneration.generate(region, algorithm, now, signingWindow),
                KeyGeneration.generate(region, algorithm, now, signingWindow),
                List.of());
        new KeyRingStore(dir, password).save(ring);
        return ring;
    }

    /** The password from the environment, else from the development password file. */
    public static char[] passwordFor(Path directory) throws IOException {
        String fromEnv = System.getenv(PASSWORD_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        return readPassword(directory.resolve(PASSWORD_FILE));
    }

    private static char[] readPassword(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("no keystore password: set " + PASSWORD_ENV + " or provide " + file);
        }
        return Files.readString(file).trim().toCharArray();
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    public KeyRing load() throws IOException {
        JsonNode meta = JSON.readTree(directory.resolve(METADATA_FILE).toFile());
        String region = meta.path("region").asText();
        CoseAlgorithm defaultAlg = CoseAlgorithm.byName(meta.path("algorithm").asText())
                .orElseThrow(() -> new IOException("keyring.json: unknown algorithm"));
        KeyStore ks = keyStore();
        try (InputStream in = Files.newInputStream(directory.resolve(KEYSTORE_FILE))) {
            ks.load(in, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open " + directory.resolve(KEYSTORE_FILE) + ": " + e.getMessage(), e);
        }
        String currentKid = meta.path("current").asText();
        String nextKid = meta.path("next").asText();
        RegionKey current = null;
        RegionKey next = null;
        List<RegionKey> previous = new ArrayList<>();
        for (JsonNode k : meta.path("keys")) {
            String kidHex = k.path("kid").asText();
            CoseAlgorithm alg = CoseAlgorithm.byName(k.path("alg").asText(defaultAlg.jsonName()))
                    .orElse(defaultAlg);
            RegionKey key = readKey(
                    ks,
                    region,
                    kidHex,
                    alg,
                    Instant.parse(k.path("notBefore").asText()),
                    Instant.parse(k.path("notAfter").asText()));
            if (kidHex.equals(currentKid)) {
                current = key;
            } else if (kidHex.equals(nextKid)) {
                next = key;
            } else {
                previous.add(key);
            }
        }
        if (current == null || next == null) {
            throw new IOException("keyring.json names no current or no next key present in the keystore");
        }
        return new KeyRing(region, current, next, previous);
    }

    private RegionKey readKey(
            KeyStore ks, String region, String kidHex, CoseAlgorithm alg, Instant notBefore, Instant notAfter)
            throws IOException {
        try {
            PrivateKey privateKey = (PrivateKey) ks.getKey(kidHex, password);
            Certificate cert = ks.getCertificate(kidHex);
            if (privateKey == null || cert == null) {
                throw new IOException("keystore has no entry " + kidHex);
            }
            byte[] kid = KeyIds.ofPublicKey(cert.getPublicKey());
            if (!HexFormat.of().formatHex(kid).equals(kidHex)) {
                throw new IOException("keystore entry " + kidHex + " holds a key whose kid differs");
            }
            return new RegionKey(region, kid, alg, cert.getPublicKey(), privateKey, notBefore, notAfter);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read key " + kidHex + ": " + e.getMessage(), e);
        }
    }

    /** Writes the ring atomically enough for one process: keystore first, then the metadata that names its entries. */
    public void save(KeyRing ring) throws IOException {
        OwnerOnly.directory(directory);
        KeyStore ks = keyStore();
        try {
            ks.load(null, password);
            for (RegionKey key : ring.published()) {
                if (key.privateKey() == null) {
                    throw new IOException("key " + key.kidHex() + " has no private half to store");
                }
                ks.setKeyEntry(key.kidHex(), key.privateKey(), password, new Certificate[] {holderCertificate(key)});
            }
            Path tmp = OwnerOnly.newFile(directory.resolve(KEYSTORE_FILE + ".tmp"));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            Files.move(tmp, directory.resolve(KEYSTORE_FILE), StandardCopyOption.REPLACE_EXISTING);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write keystore: " + e.getMessage(), e);
        }
        ObjectNode meta = JSON.createObjectNode();
        meta.put("region", ring.region());
        meta.put("algorithm", ring.current().algorithm().jsonName());
        meta.put("current", ring.current().kidHex());
        meta.put("next", ring.next().kidHex());
        ArrayNode keys = meta.putArray("keys");
        for (RegionKey key : ring.published()) {
            keys.addObject()
                    .put("kid", key.kidHex())
                    .put("alg", key.algorithm().jsonName())
                    .put("notBefore", key.notBefore().toString())
                    .put("notAfter", key.notAfter().toString());
        }
        Path tmp = directory.resolve(METADATA_FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), meta);
        Files.move(tmp, directory.resolve(METADATA_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    private static KeyStore keyStore() throws IOException {
        try {
            return KeyStore.getInstance("PKCS12");
        } catch (GeneralSecurityException e) {
            throw new IOException("PKCS12 keystore type missing", e);
        }
    }

    /** PKCS#12 stores a private key only with a certificate; a self-signed one carries the public key and window. */
    private static X509Certificate holderCertificate(RegionKey key) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=healthcode region " + key.region() + " key " + key.kidHex());
        String sigAlg = key.algorithm() == CoseAlgorithm.EDDSA ? "Ed25519" : "SHA256withECDSA";
        Date from = Date.from(key.notBefore());
        Date to = Date.from(
                key.notAfter().isAfter(key.notBefore())
                        ? key.notAfter()
                        : key.notBefore().plusSeconds(1));
        try {
            BouncyCastleProvider bc = new BouncyCastleProvider();
            return new JcaX509CertificateConverter()
                    .setProvider(bc)
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name, new BigInteger(1, key.kid()), from, to, name, key.publicKey())
                            .build(new JcaContentSignerBuilder(sigAlg)
                                    .setProvider(bc)
                                    .build(key.privateKey())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build holder certificate: " + e.getMessage(), e);
        }
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Files.writeString(OwnerOnly.newFile(file), content);
    }
}
