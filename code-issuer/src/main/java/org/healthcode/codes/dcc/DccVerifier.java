package org.healthcode.codes.dcc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.format.CodeFormatException;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.format.CoseSign1;
import org.healthcode.codes.verify.EnvelopeChecks;
import org.healthcode.codes.verify.FailureReason;
import org.healthcode.codes.verify.Verdict;
import org.healthcode.codes.verify.VerificationFailure;

/**
 * Verifies EU Digital COVID Certificates ({@code HC1:}) offline against a list of signer certificates: prefix ->
 * Base45 -> zlib -> COSE_Sign1 -> kid (protected, else unprotected) -> DSC -> signature (ES256 or PS256) -> claims ->
 * DSC extended key usage against the certificate type -> DSC validity at signing -> iat/exp against the clock.
 * Each step is a public named check so the conformance test can run them one by one.
 */
public final class DccVerifier {
    public static final String PREFIX = "HC1:";
    private static final Pattern ANY_HC_PREFIX = Pattern.compile("^HC(\\d{1,3}):");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DscList signers;
    private final CoseCrypto crypto;
    private final Duration clockSkew;

    public DccVerifier(DscList signers, CoseCrypto crypto, Duration clockSkew) {
        this.signers = Objects.requireNonNull(signers);
        this.crypto = Objects.requireNonNull(crypto);
        this.clockSkew = Objects.requireNonNull(clockSkew);
    }

    public Verdict verify(String text, Instant at) {
        try {
            String body = unprefix(text.strip());
            CoseSign1 cose = EnvelopeChecks.unpack(body);
            X509Certificate signer = checkSignature(cose);
            DccClaims claims = checkClaims(cose);
            DccCertificateType type = checkKeyUsage(claims, signer);
            checkSignerValidity(claims, signer);
            checkValidity(claims, at);
            return Verdict.valid("HC1", Optional.empty(), payload(claims, type, cose));
        } catch (VerificationFailure failure) {
            return Verdict.failed("HC1", failure);
        }
    }

    /** Strips {@code HC1:}; another HC version is unsupported, anything else is not a DCC. */
    public static String unprefix(String text) throws VerificationFailure {
        Matcher m = ANY_HC_PREFIX.matcher(text);
        if (!m.find()) {
            throw new VerificationFailure(FailureReason.UNKNOWN_PREFIX, "no HC1: prefix");
        }
        if (!m.group(1).equals("1")) {
            throw new VerificationFailure(
                    FailureReason.UNSUPPORTED_FORMAT_VERSION,
                    "DCC context HC" + m.group(1) + ": is not supported; HC1: is");
        }
        return text.substring(PREFIX.length());
    }

    /** Finds the DSC by kid and checks the signature; returns the certificate that verified. */
    public X509Certificate checkSignature(CoseSign1 cose) throws VerificationFailure {
        byte[] kid = cose.kidProtectedOrUnprotected()
                .orElseThrow(() -> new VerificationFailure(FailureReason.KID_MISSING, "no kid in either header"));
        long algId = cose.algorithmIdProtectedOrUnprotected()
                .orElseThrow(
                        () -> new VerificationFailure(FailureReason.ALGORITHM_UNSUPPORTED, "no alg in either header"));
        CoseAlgorithm alg = CoseAlgorithm.byCoseId(algId)
                .filter(a -> a != CoseAlgorithm.EDDSA)
                .orElseThrow(() -> new VerificationFailure(
                        FailureReason.ALGORITHM_UNSUPPORTED, "alg " + algId + " is not ES256 or PS256"));
        List<X509Certificate> candidates = signers.byKid(kid);
        String kidText = Base64.getEncoder().encodeToString(kid);
        if (candidates.isEmpty()) {
            throw new VerificationFailure(FailureReason.KEY_UNKNOWN, "no signer certificate with kid " + kidText);
        }
        byte[] toBeSigned = cose.toBeSigned();
        boolean algMatched = false;
        for (X509Certificate c : candidates) {
            if (!c.getPublicKey().getAlgorithm().equals(alg.keyType())) {
                continue;
            }
            algMatched = true;
            if (crypto.verify(alg, crypto.importPublic(c.getPublicKey()), toBeSigned, cose.signature())) {
                return c;
            }
        }
        if (!algMatched) {
            throw new VerificationFailure(
                    FailureReason.ALGORITHM_NOT_KEYS,
                    "signer certificate " + kidText + " holds a "
                            + candidates.get(0).getPublicKey().getAlgorithm() + " key, the code says "
                            + alg.jsonName());
        }
        throw new VerificationFailure(FailureReason.SIGNATURE_INVALID, "signature does not verify with kid " + kidText);
    }

    public static DccClaims checkClaims(CoseSign1 cose) throws VerificationFailure {
        try {
            return DccClaims.fromCbor(cose.payload());
        } catch (CodeFormatException e) {
            throw new VerificationFailure(FailureReason.CLAIMS_INVALID, e.getMessage());
        }
    }

    /** The DSC's extended key usage must allow the certificate type; a DCC holds exactly one type. */
    public static DccCertificateType checkKeyUsage(DccClaims claims, X509Certificate signer)
            throws VerificationFailure {
        if (claims.types().size() != 1) {
            throw new VerificationFailure(
                    FailureReason.CLAIMS_INVALID,
                    "a DCC holds exactly one of v, t, r; this one holds "
                            + claims.types().size());
        }
        DccCertificateType type = claims.types().get(0);
        List<String> eku;
        try {
            eku = signer.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new VerificationFailure(
                    FailureReason.DSC_NOT_FOR_CERTIFICATE_TYPE,
                    "signer certificate's extended key usage is unreadable");
        }
        if (!type.allowedBy(eku)) {
            throw new VerificationFailure(
                    FailureReason.DSC_NOT_FOR_CERTIFICATE_TYPE,
                    "signer certificate may not sign " + type.wireName() + " certificates (extended key usage " + eku
                            + ")");
        }
        return type;
    }

    /** The DSC must have been valid when the DCC was signed (iat). */
    public void checkSignerValidity(DccClaims claims, X509Certificate signer) throws VerificationFailure {
        Instant iat = claims.issuedAt();
        if (iat.isBefore(signer.getNotBefore().toInstant().minus(clockSkew))
                || iat.isAfter(signer.getNotAfter().toInstant().plus(clockSkew))) {
            throw new VerificationFailure(
                    FailureReason.SIGNED_OUTSIDE_KEY_VALIDITY,
                    "issued at " + iat
                            + ", outside the signer certificate's validity "
                            + signer.getNotBefore().toInstant() + " .. "
                            + signer.getNotAfter().toInstant());
        }
    }

    public void checkValidity(DccClaims claims, Instant at) throws VerificationFailure {
        if (claims.issuedAt().isAfter(at.plus(clockSkew))) {
            throw new VerificationFailure(
                    FailureReason.NOT_YET_VALID, "issued at " + claims.issuedAt() + ", after " + at);
        }
        if (claims.expiresAt().isBefore(at.minus(clockSkew))) {
            throw new VerificationFailure(FailureReason.EXPIRED, "expired at " + claims.expiresAt());
        }
    }

    private static ObjectNode payload(DccClaims claims, DccCertificateType type, CoseSign1 cose) {
        ObjectNode p = JSON.createObjectNode();
        if (claims.issuer() != null) {
            p.put("iss", claims.issuer());
        }
        p.put("iat", claims.issuedAt().toString());
        p.put("exp", claims.expiresAt().toString());
        p.put("certificateType", type.wireName());
        cose.kidProtectedOrUnprotected()
                .ifPresent(k -> p.put("kid", Base64.getEncoder().encodeToString(k)));
        p.set("hcert", claims.hcert());
        return p;
    }
}
