package org.healthcode.interop.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The development certificate authority for mutual TLS, kept in a directory (never committed) and generated there at
 * first start; it issues node certificates (server and client) and client certificates for checkpoints and peers.
 *
 * <p>A certificate names its holder as {@code CN=<name>, OU=<role>, O=<region>}: the role and region are what
 * {@link CertificateCallers} turns into a {@link Caller}. Only certificates signed by this CA are accepted, so a
 * deployment that shares the CA directory (two regions and a hub on one machine) trusts itself.
 *
 * <p>Layout: {@code ca.p12} (CA key and certificate), {@code ca.crt} (PEM, to give to clients such as curl),
 * {@code pki.password} (random, mode 600; in production set {@value #PASSWORD_ENV} and provision the files),
 * {@code nodes/<name>.p12} (each node's own key and certificate, same password).
 */
public final class DevPki {
    public static final String PASSWORD_ENV = "HEALTHCODE_PKI_PASSWORD";
    private static final String CA_ALIAS = "ca";
    private static final String NODE_ALIAS = "node";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final char[] password;
    private final PrivateKey caKey;
    private final X509Certificate caCert;

    private DevPki(Path dir, char[] password, PrivateKey caKey, X509Certificate caCert) {
        this.dir = dir;
        this.password = password;
        this.caKey = caKey;
        this.caCert = caCert;
    }

    /** Opens the CA in {@code dir}, generating it (key, certificate, password) when missing. */
    public static synchronized DevPki openOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path caFile = dir.resolve("ca.p12");
        if (Files.exists(caFile)) {
            char[] password = password(dir);
            KeyStore ks = load(caFile, password);
            return new DevPki(dir, password, (PrivateKey) ks.getKey(CA_ALIAS, password),
                    (X509Certificate) ks.getCertificate(CA_ALIAS));
        }
        char[] password = randomPassword();
        writePrivately(dir.resolve("pki.password"), new String(password));
        KeyPair pair = ecKeyPair();
        X500Name name = new X500Name("CN=healthcode development CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate cert = sign(b, pair.getPrivate());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        ks.setKeyEntry(CA_ALIAS, pair.getPrivate(), password, new Certificate[] {cert});
        store(ks, caFile, password);
        Files.writeString(dir.resolve("ca.crt"), pem(cert));
        return new DevPki(dir, password, pair.getPrivate(), cert);
    }

    /**
     * This node's key store ({@code nodes/<name>.p12}), issued on first use: a certificate valid for TLS server and
     * client use on localhost and 127.0.0.1, naming {@code role} and {@code region}.
     */
    public synchronized KeyStore nodeKeyStore(String name, Role role, String region)
            throws IOException, GeneralSecurityException {
        Path file = dir.resolve("nodes").resolve(name + ".p12");
        if (Files.exists(file)) {
            return load(file, password);
        }
        KeyStore ks = issue(name, role, region);
        Files.createDirectories(file.getParent());
        store(ks, file, password);
        return ks;
    }

    /** A new PKCS#12 key store (alias {@value #NODE_ALIAS}, this CA's password) for a client or node. */
    public KeyStore issue(String name, Role role, String region) throws GeneralSecurityException {
        KeyPair pair = ecKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, region)
                .addRDN(BCStyle.OU, role.wireName()).addRDN(BCStyle.CN, name).build();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b;
        try {
            b = new JcaX509v3CertificateBuilder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                    serial(), Date.from(now.minusSeconds(60)), Date.from(now.plus(LEAF_VALIDITY)), subject,
                    pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build certificate extensions", e);
        }
        X509Certificate cert = sign(b, caKey);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, password);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        ks.setKeyEntry(NODE_ALIAS, pair.getPrivate(), password, new Certificate[] {cert, caCert});
        return ks;
    }

    /** Writes a client key store (for a checkpoint or a peer) to {@code out}; its password is this CA's. */
    public void writeClient(String name, Role role, String region, Path out) throws IOException, GeneralSecurityException {
        store(issue(name, role, region), out, password);
    }

    /** A TLS context presenting {@code keyStore}'s certificate and trusting only certificates of this CA. */
    public SSLContext sslContext(KeyStore keyStore) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry(CA_ALIAS, caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
        return ctx;
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    public Path directory() {
        return dir;
    }

    private static char[] password(Path dir) throws IOException {
        String env = System.getenv(PASSWORD_ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        return Files.readString(dir.resolve("pki.password")).strip().toCharArray();
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign certificate", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    private static String pem(X509Certificate cert) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Files.writeString(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }
}
