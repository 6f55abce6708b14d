package org.healthcode.interop.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.healthcode.codes.keys.OwnerOnly;

/**
 * The certificate authority for mutual TLS. Only {@code ./healthcode access} opens it: its private key never goes to
 * a node. It issues node certificates (a server certificate and a separate client certificate for the node's own
 * calls to peers and the hub) and caller certificates (client use only), each key store with its own random
 * password, and revokes certificates by serial number into a signed CRL that the hub distributes with the trust list.
 *
 * <p>A certificate names its holder as {@code CN=<name>, OU=<role>, O=<region>}: the role and region are what
 * {@link CertificateCallers} turns into a {@link Caller}.
 *
 * <p>Layout of the CA directory (mode 700): {@code ca.p12} (CA key and certificate), {@code ca.password} (mode 600;
 * or {@value #PASSWORD_ENV}), {@code ca.crt} (PEM, for nodes and clients), {@code revoked} (one serial in hex per
 * line), {@code crl.pem} (the signed CRL of those serials, written at every revocation).
 */
public final class CertificateAuthority {
    public static final String PASSWORD_ENV = "HEALTHCODE_CA_PASSWORD";
    public static final String CA_CERT = "ca.crt";
    public static final String CRL = "crl.pem";
    private static final String CA_KEY_STORE = "ca.p12";
    private static final String CA_ALIAS = "ca";
    private static final String LEAF_ALIAS = "leaf";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    /** How long a CRL is current; {@code ./healthcode access crl} signs a fresh one with the same serials. */
    private static final Duration CRL_VALIDITY = Duration.ofDays(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a certificate may be used for in TLS. */
    public enum Usage {
        SERVER(KeyPurposeId.id_kp_serverAuth),
        CLIENT(KeyPurposeId.id_kp_clientAuth);

        private final KeyPurposeId purpose;

        Usage(KeyPurposeId purpose) {
            this.purpose = purpose;
        }
    }

    /** An issued key store, the file holding its own password, and the certificate's serial number. */
    public record Issued(Path keyStore, Path passwordFile, BigInteger serial) {
        public String serialHex() {
            return serial.toString(16);
        }
    }

    private final Path dir;
    private final PrivateKey caKey;
    private final X509Certificate caCert;

    private CertificateAuthority(Path dir, PrivateKey caKey, X509Certificate caCert) {
        this.dir = dir;
        this.caKey = caKey;
        this.caCert = caCert;
    }

    /** Opens the CA in {@code dir}, generating it (key, certificate, password) when missing. */
    public static synchronized CertificateAuthority openOrCreate(Path dir)
            throws IOException, GeneralSecurityException {
        OwnerOnly.directory(dir);
        Path caFile = dir.resolve(CA_KEY_STORE);
        if (Files.exists(caFile)) {
            char[] password = caPassword(dir);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(caFile)) {
                ks.load(in, password);
            }
            return new CertificateAuthority(
                    dir, (PrivateKey) ks.getKey(CA_ALIAS, password), (X509Certificate) ks.getCertificate(CA_ALIAS));
        }
        char[] password = randomPassword();
        if (System.getenv(PASSWORD_ENV) == null) {
            writePrivately(dir.resolve("ca.password"), new String(password));
        } else {
            password = System.getenv(PASSWORD_ENV).toCharArray();
        }
        KeyPair pair = ecKeyPair();
        X500Name name = new X500Name("CN=healthcode CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                name,
                serial(),
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(CA_VALIDITY)),
                name,
                pair.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot build CA extensions", e);
        }
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(pair.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        ks.setKeyEntry(CA_ALIAS, pair.getPrivate(), password, new Certificate[] {cert});
        store(ks, caFile, password);
        Files.writeString(dir.resolve(CA_CERT), Pem.certificate(cert));
        return new CertificateAuthority(dir, pair.getPrivate(), cert);
    }

    /**
     * Issues a node's credentials into {@code nodeDir} (mode 700): {@code server.p12} (server use, for the names in
     * {@code hosts}), {@code client.p12} (client use, for the node's calls to peers and the hub), each with its own
     * password file, and {@code ca.crt}. Nothing of the CA's key. Roles {@code region} and {@code hub} only.
     */
    public List<Issued> issueNode(String name, Role role, String region, List<String> hosts, Path nodeDir)
            throws IOException, GeneralSecurityException {
        if (role != Role.REGION && role != Role.HUB) {
            throw new IllegalArgumentException("a node is a region or the hub, not " + role.wireName());
        }
        OwnerOnly.directory(nodeDir);
        List<Issued> issued = new ArrayList<>();
        issued.add(issue(name, role, region, Usage.SERVER, hosts, nodeDir.resolve(NodePki.SERVER_KEY_STORE)));
        issued.add(issue(name, role, region, Usage.CLIENT, List.of(), nodeDir.resolve(NodePki.CLIENT_KEY_STORE)));
        Files.writeString(nodeDir.resolve(CA_CERT), Pem.certificate(caCert));
        return issued;
    }

    /** Issues a caller's client certificate (client use only) into {@code out}, its password beside it. */
    public Issued issueClient(String name, Role role, String region, Path out)
            throws IOException, GeneralSecurityException {
        return issue(name, role, region, Usage.CLIENT, List.of(), out);
    }

    /**
     * Issues a key store at {@code out} with a fresh key and a certificate for {@code usage}; its random password is
     * written to {@code out + ".password"} (mode 600).
     */
    public Issued issue(String name, Role role, String region, Usage usage, List<String> hosts, Path out)
            throws IOException, GeneralSecurityException {
        KeyPair pair = ecKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, region)
                .addRDN(BCStyle.OU, role.wireName())
                .addRDN(BCStyle.CN, name)
                .build();
        Instant now = Instant.now();
        BigInteger serial = serial();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                serial,
                Date.from(now.minusSeconds(60)),
                Date.from(now.plus(LEAF_VALIDITY)),
                subject,
                pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(usage.purpose));
        if (!hosts.isEmpty()) {
            List<GeneralName> names = new ArrayList<>();
            for (String h : hosts) {
                names.add(
                        isAddress(h)
                                ? new GeneralName(GeneralName.iPAddress, h)
                                : new GeneralName(GeneralName.dNSName, h));
            }
            b.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(caKey)));
        char[] password = randomPassword();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        Files.createDirectories(out.toAbsolutePath().getParent());
        ks.setKeyEntry(LEAF_ALIAS, pair.getPrivate(), password, new Certificate[] {cert, caCert});
        Path passwordFile = out.resolveSibling(out.getFileName() + ".password");
        writePrivately(passwordFile, new String(password));
        store(ks, out, password);
        return new Issued(out, passwordFile, serial);
    }

    /** Adds {@code serial} to the revoked serials and writes a new {@code crl.pem}; returns the CRL file. */
    public synchronized Path revoke(BigInteger serial) throws IOException, GeneralSecurityException {
        Path list = dir.resolve("revoked");
        List<BigInteger> serials = revoked();
        if (!serials.contains(serial)) {
            Files.writeString(
                    list,
                    serial.toString(16) + "\n",
                    StandardCharsets.US_ASCII,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        return writeCrl();
    }

    /** Signs a fresh CRL of every revoked serial (a higher CRL number than any before) into {@code crl.pem}. */
    public synchronized Path writeCrl() throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new X509v2CRLBuilder(
                X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), Date.from(now));
        b.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
        for (BigInteger s : revoked()) {
            b.addCRLEntry(s, Date.from(now), CRLReason.keyCompromise);
        }
        // milliseconds since the epoch: increasing across runs without keeping a counter
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
        X509CRL crl;
        try {
            crl = new JcaX509CRLConverter().getCRL(b.build(signer(caKey)));
        } catch (java.security.cert.CRLException e) {
            throw new GeneralSecurityException("cannot build CRL", e);
        }
        Path file = dir.resolve(CRL);
        Path tmp = dir.resolve(CRL + ".tmp");
        Files.writeString(tmp, Pem.crl(crl));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    public List<BigInteger> revoked() throws IOException {
        Path list = dir.resolve("revoked");
        if (!Files.exists(list)) {
            return List.of();
        }
        return Files.readAllLines(list).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> new BigInteger(s.toLowerCase(Locale.ROOT), 16))
                .toList();
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    public Path directory() {
        return dir;
    }

    private static char[] caPassword(Path dir) throws IOException {
        String env = System.getenv(PASSWORD_ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        return Files.readString(dir.resolve("ca.password")).strip().toCharArray();
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        Path tmp = OwnerOnly.newFile(file.resolveSibling(file.getFileName() + ".tmp"));
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Files.writeString(OwnerOnly.newFile(file), content);
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static char[] randomPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    /** The names a node certificate covers when none are given: this machine's loopback names. */
    public static List<String> loopbackHosts() {
        return List.of("localhost", "127.0.0.1");
    }
}
