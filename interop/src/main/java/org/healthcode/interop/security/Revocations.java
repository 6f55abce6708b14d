package org.healthcode.interop.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates this node refuses although the CA signed them: the newest CRL it was given, from the CA's file
 * in the node's certificate directory ({@code crl.pem}, read again when it changes) or from the hub with the trust
 * list. A CRL counts only when the CA signed it, and only when its CRL number is higher than the one held, so an
 * older CRL (one that does not list a certificate revoked since) cannot replace a newer one.
 */
public final class Revocations {
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);
    private static final long FILE_CHECK_NANOS = 1_000_000_000L;

    private final X509Certificate ca;
    private final Path file;
    private final AtomicReference<X509CRL> crl = new AtomicReference<>();
    private volatile FileTime fileSeen;
    private volatile long nextFileCheck;

    /** Revocations signed by {@code ca}; {@code file} (may be null) is read now and whenever it changes. */
    public Revocations(X509Certificate ca, Path file) {
        this.ca = ca;
        this.file = file;
        checkFile();
    }

    /** True when the current CRL lists {@code cert}. */
    public boolean isRevoked(X509Certificate cert) {
        checkFileAtMostEverySecond();
        X509CRL c = crl.get();
        return c != null && c.isRevoked(cert);
    }

    /** The CRL in use, if any. */
    public Optional<X509CRL> current() {
        checkFileAtMostEverySecond();
        return Optional.ofNullable(crl.get());
    }

    /** The CRL in use as PEM text, if any. */
    public Optional<String> currentPem() throws GeneralSecurityException {
        Optional<X509CRL> c = current();
        return c.isEmpty() ? Optional.empty() : Optional.of(Pem.crl(c.get()));
    }

    /**
     * Takes {@code candidate} when the CA signed it and its number is higher than the held one's; returns whether
     * it was taken. A CRL of another issuer or with a bad signature throws.
     */
    public synchronized boolean offer(X509CRL candidate) throws GeneralSecurityException {
        if (!candidate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new GeneralSecurityException(
                    "CRL issued by " + candidate.getIssuerX500Principal() + ", not by this CA");
        }
        candidate.verify(ca.getPublicKey());
        X509CRL held = crl.get();
        if (held != null && number(candidate).compareTo(number(held)) <= 0) {
            return false;
        }
        crl.set(candidate);
        LOG.info(
                "certificate revocation list number {} in use: {} certificates revoked",
                number(candidate),
                candidate.getRevokedCertificates() == null
                        ? 0
                        : candidate.getRevokedCertificates().size());
        return true;
    }

    /** As {@link #offer(X509CRL)}, from PEM or DER bytes. */
    public boolean offer(byte[] pemOrDer) throws GeneralSecurityException {
        return offer(Pem.readCrl(pemOrDer));
    }

    static BigInteger number(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return BigInteger.ZERO;
        }
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                .getValue();
    }

    private void checkFileAtMostEverySecond() {
        if (file != null && System.nanoTime() - nextFileCheck > 0) {
            checkFile();
        }
    }

    private void checkFile() {
        if (file == null) {
            return;
        }
        nextFileCheck = System.nanoTime() + FILE_CHECK_NANOS;
        try {
            if (!Files.exists(file)) {
                return;
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(fileSeen)) {
                return;
            }
            fileSeen = modified;
            offer(Files.readAllBytes(file));
        } catch (IOException | GeneralSecurityException e) {
            LOG.error("the revocation list {} is not usable: {}", file, e.getMessage());
        }
    }
}
