package org.healthcode.interop.security;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Turns a client certificate that TLS already verified against our CA into a {@link Caller}: CN is the name, OU the
 * role, O the region. A certificate without a known role is not a caller.
 */
public final class CertificateCallers {
    private CertificateCallers() {}

    public static Optional<Caller> of(X509Certificate cert) {
        String cn = null;
        String ou = null;
        String o = null;
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                switch (rdn.getType().toUpperCase()) {
                    case "CN" -> cn = rdn.getValue().toString();
                    case "OU" -> ou = rdn.getValue().toString();
                    case "O" -> o = rdn.getValue().toString();
                    default -> {}
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        if (cn == null || o == null) {
            return Optional.empty();
        }
        String name = cn;
        String region = o;
        return Role.parse(ou).map(role -> new Caller(name, role, region, Caller.Via.CLIENT_CERTIFICATE));
    }
}
