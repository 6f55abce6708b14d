package org.healthcode.interop.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** PEM text of certificates and CRLs, and back (the JDK's {@link CertificateFactory} reads PEM and DER). */
final class Pem {
    private Pem() {}

    static String certificate(X509Certificate cert) throws GeneralSecurityException {
        return block("CERTIFICATE", cert.getEncoded());
    }

    static String crl(X509CRL crl) throws GeneralSecurityException {
        return block("X509 CRL", crl.getEncoded());
    }

    static X509Certificate readCertificate(byte[] pemOrDer) throws GeneralSecurityException {
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pemOrDer));
    }

    static X509CRL readCrl(byte[] pemOrDer) throws GeneralSecurityException {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(pemOrDer));
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
