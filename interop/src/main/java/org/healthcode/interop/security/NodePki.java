package org.healthcode.interop.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What a node holds for mutual TLS: the CA certificate, its own server certificate, its own client certificate (for
 * calls to peers and the hub) and the revocations it knows of. Never the CA's key: a directory holding one is
 * refused. {@code ./healthcode access node-cert} writes the directory.
 *
 * <p>Both TLS contexts check the other side with the JDK's PKIX validation against the CA alone, which also holds
 * the extended key usage (a client certificate cannot serve, a server certificate cannot call), then refuse a
 * revoked certificate.
 */
public final class NodePki {
    public static final String SERVER_KEY_STORE = "server.p12";
    public static final String CLIENT_KEY_STORE = "client.p12";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate ca;
    private final SSLContext server;
    private final SSLContext client;
    private final X509Certificate serverCertificate;
    private final Revocations revocations;

    private NodePki(
            X509Certificate ca,
            SSLContext server,
            SSLContext client,
            X509Certificate serverCertificate,
            Revocations revocations) {
        this.ca = ca;
        this.server = server;
        this.client = client;
        this.serverCertificate = serverCertificate;
        this.revocations = revocations;
    }

    /**
     * Loads a node's directory; {@code crlFile} (may be null) is a revocation list kept elsewhere (the copy last
     * received from the hub), read besides the directory's own {@code crl.pem}.
     */
    public static NodePki load(Path dir, Path crlFile) throws IOException, GeneralSecurityException {
        if (Files.exists(dir.resolve("ca.p12")) || Files.exists(dir.resolve("ca.password"))) {
            throw new GeneralSecurityException(dir + " holds the CA's key: a node holds its own certificates and the"
                    + " CA certificate only (issue them with ./healthcode access node-cert)");
        }
        for (String f : new String[] {CertificateAuthority.CA_CERT, SERVER_KEY_STORE, CLIENT_KEY_STORE}) {
            if (!Files.exists(dir.resolve(f))) {
                throw new GeneralSecurityException(dir.resolve(f) + " is missing: issue the node's certificates with"
                        + " ./healthcode access node-cert --out " + dir);
            }
        }
        X509Certificate ca = Pem.readCertificate(Files.readAllBytes(dir.resolve(CertificateAuthority.CA_CERT)));
        Revocations revocations = new Revocations(ca, dir.resolve(CertificateAuthority.CRL));
        if (crlFile != null && Files.exists(crlFile)) {
            revocations.offer(Files.readAllBytes(crlFile));
        }
        KeyStore serverStore = keyStore(dir.resolve(SERVER_KEY_STORE));
        KeyStore clientStore = keyStore(dir.resolve(CLIENT_KEY_STORE));
        X509Certificate serverCert = (X509Certificate)
                serverStore.getCertificate(serverStore.aliases().nextElement());
        return new NodePki(
                ca,
                context(serverStore, password(dir.resolve(SERVER_KEY_STORE)), ca, revocations),
                context(clientStore, password(dir.resolve(CLIENT_KEY_STORE)), ca, revocations),
                serverCert,
                revocations);
    }

    /** The context the node's HTTPS connector serves with. */
    public SSLContext serverContext() {
        return server;
    }

    /** The context of the node's own calls (peers, hub). */
    public SSLContext clientContext() {
        return client;
    }

    public X509Certificate caCertificate() {
        return ca;
    }

    public Revocations revocations() {
        return revocations;
    }

    /** Who the node's server certificate names. */
    public Optional<Caller> identity() {
        return CertificateCallers.of(serverCertificate);
    }

    /**
     * A TLS context presenting the key store at {@code keyStore} (its password in {@code keyStore + ".password"})
     * and trusting the CA of {@code caCert} alone, as issued by {@code ./healthcode access}: for callers.
     */
    public static SSLContext callerContext(Path keyStore, Path caCert) throws IOException, GeneralSecurityException {
        X509Certificate ca = Pem.readCertificate(Files.readAllBytes(caCert));
        return context(keyStore(keyStore), password(keyStore), ca, new Revocations(ca, null));
    }

    static SSLContext context(KeyStore keys, char[] password, X509Certificate ca, Revocations revocations)
            throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        X509ExtendedTrustManager pkix = null;
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                pkix = x;
            }
        }
        if (pkix == null) {
            throw new GeneralSecurityException("no X.509 trust manager");
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {new RevocationChecking(pkix, revocations)}, RANDOM);
        return ctx;
    }

    private static KeyStore keyStore(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password(file));
        }
        return ks;
    }

    private static char[] password(Path keyStore) throws IOException {
        return Files.readString(keyStore.resolveSibling(keyStore.getFileName() + ".password"))
                .strip()
                .toCharArray();
    }

    /** PKIX validation (chain to the CA, validity, key usage, extended key usage), then the revocation list. */
    private static final class RevocationChecking extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;
        private final Revocations revocations;

        RevocationChecking(X509ExtendedTrustManager pkix, Revocations revocations) {
            this.pkix = pkix;
            this.revocations = revocations;
        }

        private void notRevoked(X509Certificate[] chain) throws CertificateException {
            if (chain.length > 0 && revocations.isRevoked(chain[0])) {
                throw new CertificateException(
                        "certificate " + chain[0].getSerialNumber().toString(16) + " is revoked");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
            notRevoked(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            pkix.checkServerTrusted(chain, authType, socket);
            notRevoked(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
            notRevoked(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            pkix.checkServerTrusted(chain, authType, engine);
            notRevoked(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
            notRevoked(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkServerTrusted(chain, authType);
            notRevoked(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
