package org.healthcode.interop;

import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.security.CertificateAuthority;
import org.healthcode.interop.security.NodePki;
import org.healthcode.interop.security.Role;

/** Certificates for tests, issued as {@code ./healthcode access} issues them: a CA directory apart from the nodes. */
public final class TestCertificates {
    private final CertificateAuthority ca;
    private final Path dir;

    private TestCertificates(CertificateAuthority ca, Path dir) {
        this.ca = ca;
        this.dir = dir;
    }

    /** A CA in {@code dir/ca}; callers' key stores are written under {@code dir/callers}. */
    public static TestCertificates in(Path dir) throws Exception {
        return new TestCertificates(CertificateAuthority.openOrCreate(dir.resolve("ca")), dir);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** Issues a region node's certificates into {@code nodeDir} and returns it (for {@code --pki-dir}). */
    public Path region(String region, Path nodeDir) throws Exception {
        ca.issueNode("region-" + region, Role.REGION, region, CertificateAuthority.loopbackHosts(), nodeDir);
        return nodeDir;
    }

    /** Issues the hub's certificates into {@code nodeDir} and returns it. */
    public Path hub(Path nodeDir) throws Exception {
        ca.issueNode("hub", Role.HUB, InteropConfig.HUB_REGION, CertificateAuthority.loopbackHosts(), nodeDir);
        return nodeDir;
    }

    /** A caller's client certificate (client use only), issued now. */
    public CertificateAuthority.Issued issueCaller(String name, Role role, String region) throws Exception {
        return ca.issueClient(
                name, role, region, dir.resolve("callers").resolve(name + "-" + System.nanoTime() + ".p12"));
    }

    /** A TLS context presenting a fresh caller certificate and trusting the CA alone. */
    public SSLContext caller(String name, Role role, String region) throws Exception {
        return context(issueCaller(name, role, region));
    }

    public SSLContext context(CertificateAuthority.Issued issued) throws Exception {
        return NodePki.callerContext(issued.keyStore(), ca.directory().resolve(CertificateAuthority.CA_CERT));
    }

    /** Where the CA keeps its certificate. */
    public Path caCertificate() {
        return ca.directory().resolve(CertificateAuthority.CA_CERT);
    }
}
