package org.healthcode.interop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The revocation list a node holds, and what the CA issues. */
class RevocationsTest {
    @TempDir
    Path dir;

    @Test
    void anOlderListCannotUnrevokeAndAnotherCasListIsRefused() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(dir.resolve("ca"));
        CertificateAuthority.Issued gate = ca.issueClient("gate-1", Role.CHECKPOINT, "440000", dir.resolve("g.p12"));
        X509Certificate cert = certificate(gate);
        byte[] empty = Files.readAllBytes(ca.writeCrl());
        Thread.sleep(2); // CRL numbers are milliseconds
        byte[] listing = Files.readAllBytes(ca.revoke(gate.serial()));

        Revocations r = new Revocations(ca.caCertificate(), null);
        assertThat(r.isRevoked(cert)).isFalse();
        assertThat(r.offer(listing)).isTrue();
        assertThat(r.isRevoked(cert)).isTrue();
        assertThat(r.offer(empty)).isFalse();
        assertThat(r.isRevoked(cert)).isTrue();

        CertificateAuthority other = CertificateAuthority.openOrCreate(dir.resolve("other"));
        byte[] foreign = Files.readAllBytes(other.writeCrl());
        assertThatThrownBy(() -> r.offer(foreign)).isInstanceOf(GeneralSecurityException.class);
        assertThat(r.isRevoked(cert)).isTrue();
    }

    @Test
    void eachIssuedKeyStoreHasItsOwnPasswordAndTheCaKeyStaysInTheCaDirectory() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(dir.resolve("ca"));
        CertificateAuthority.Issued a = ca.issueClient("a", Role.APP, "440000", dir.resolve("a.p12"));
        CertificateAuthority.Issued b = ca.issueClient("b", Role.APP, "440000", dir.resolve("b.p12"));
        assertThat(Files.readString(a.passwordFile()))
                .isNotEqualTo(Files.readString(b.passwordFile()))
                .isNotEqualTo(Files.readString(dir.resolve("ca").resolve("ca.password")));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(a.keyStore())) {
            ks.load(in, Files.readString(a.passwordFile()).toCharArray());
        }
        assertThat(java.util.Collections.list(ks.aliases())).hasSize(1);
        X509Certificate leaf = (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2"); // clientAuth only
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    }

    private static X509Certificate certificate(CertificateAuthority.Issued issued) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(issued.keyStore())) {
            ks.load(in, Files.readString(issued.passwordFile()).toCharArray());
        }
        return (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
    }
}
