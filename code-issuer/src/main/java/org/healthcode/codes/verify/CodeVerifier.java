package org.healthcode.codes.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.dcc.DccVerifier;
import org.healthcode.codes.format.CodeFormatException;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.format.CoseSign1;
import org.healthcode.codes.issue.CodePrefix;
import org.healthcode.codes.issue.HealthCodeClaims;
import org.healthcode.codes.trust.TrustListKey;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.trust.TrustedKey;

/**
 * Verifies a scanned code offline: our {@code HCR1:} codes against the trust lists, EU DCC {@code HC1:} certificates
 * against signer certificates. Order: prefix -> decode -> key lookup -> signature -> (only now the payload is
 * trusted) claims -> key usage -> validity with clock skew -> colour. Thread-safe.
 */
public final class CodeVerifier {
    /** Phone and checkpoint clocks drift; codes live minutes, so the tolerance stays small. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /**
     * The longest any code may live (exp - iat), whatever its claims say: the issuer's own ceiling. A leaked key
     * cannot mint codes valid for years; with iat bound by the key's signing window and by now, such a code dies
     * at most this long after the key stops being trusted.
     */
    public static final Duration MAX_CODE_LIFETIME = Duration.ofHours(24);

    private static final Pattern DCC_PREFIX = Pattern.compile("^HC\\d{1,3}:");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrustStore trustStore;
    private final Duration clockSkew;
    private final Optional<DccVerifier> dcc;

    public CodeVerifier(TrustStore trustStore, CoseCrypto crypto, Duration clockSkew, Optional<DccVerifier> dcc) {
        this.trustStore = Objects.requireNonNull(trustStore);
        // each trusted key carries a verifier prepared with the store's provider; crypto stays a parameter so callers
        // keep saying which provider they mean
        Objects.requireNonNull(crypto);
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clock skew must not be negative");
        }
        this.clockSkew = clockSkew;
        this.dcc = Objects.requireNonNull(dcc);
    }

    /** Verifies {@code text} (surrounding whitespace ignored) as of {@code now}. Never throws for bad input. */
    public Verdict verify(String text, Instant now) {
        String code = text == null ? "" : text.strip();
        if (DCC_PREFIX.matcher(code).find()) {
            if (dcc.isPresent()) {
                return dcc.get().verify(code, now);
            }
            return Verdict.failed(
                    "HC1",
                    new VerificationFailure(
                            FailureReason.KEY_UNKNOWN,
                            "EU DCC given but this verifier has no signer certificates (--dsc)"));
        }
        String format = null;
        try {
            int version = checkPrefix(code);
            format = CodePrefix.NAME + version;
            CoseSign1 cose = EnvelopeChecks.unpack(CodePrefix.body(code));
            TrustedKey key = checkSignature(cose, now);
            HealthCodeClaims claims = checkClaims(cose);
            checkKeyUsage(key, claims);
            checkValidity(claims, now);
            return Verdict.valid(
                    format,
                    Optional.of(claims.colour().wireName()),
                    payload(claims, key),
                    Optional.of(claims.subject()));
        } catch (VerificationFailure failure) {
            return Verdict.failed(format, failure);
        }
    }

    int checkPrefix(String code) throws VerificationFailure {
        int version = CodePrefix.versionOf(code);
        if (version < 0) {
            throw new VerificationFailure(
                    FailureReason.UNKNOWN_PREFIX,
                    "code does not start with " + CodePrefix.CURRENT + " (nor HC1: for an EU DCC)");
        }
        if (version != CodePrefix.VERSION) {
            throw new VerificationFailure(
                    FailureReason.UNSUPPORTED_FORMAT_VERSION,
                    "code format " + CodePrefix.NAME + version + " is not supported; this verifier reads "
                            + CodePrefix.CURRENT);
        }
        return version;
    }

    /** Finds the key by the protected kid and checks the signature; nothing in the payload is read before this. */
    TrustedKey checkSignature(CoseSign1 cose, Instant now) throws VerificationFailure {
        byte[] kid = cose.protectedKid()
                .orElseThrow(
                        () -> new VerificationFailure(FailureReason.KID_MISSING, "no kid in the protected header"));
        long algId = cose.algorithmId()
                .orElseThrow(() ->
                        new VerificationFailure(FailureReason.ALGORITHM_UNSUPPORTED, "no alg in the protected header"));
        CoseAlgorithm alg = CoseAlgorithm.byCoseId(algId)
                .filter(a -> a != CoseAlgorithm.PS256)
                .orElseThrow(() -> new VerificationFailure(
                        FailureReason.ALGORITHM_UNSUPPORTED, "alg " + algId + " is not ES256 or EdDSA"));
        List<TrustedKey> candidates = trustStore.byKid(kid);
        if (candidates.isEmpty()) {
            throw new VerificationFailure(FailureReason.KEY_UNKNOWN, "kid " + kidText(kid) + " is in no trust list");
        }
        List<TrustedKey> live = new ArrayList<>();
        for (TrustedKey k : candidates) {
            if (!now.isAfter(k.listExpiresAt())) {
                live.add(k);
            }
        }
        if (live.isEmpty()) {
            throw new VerificationFailure(
                    FailureReason.TRUST_LIST_EXPIRED,
                    "the trust list of region " + candidates.get(0).region() + " expired at "
                            + candidates.get(0).listExpiresAt() + "; fetch a new one");
        }
        byte[] toBeSigned = cose.toBeSigned();
        boolean algMatched = false;
        for (TrustedKey k : live) {
            if (k.algorithm() != alg) {
                continue;
            }
            algMatched = true;
            if (k.verifier().verify(toBeSigned, cose.signature())) {
                return k;
            }
        }
        if (!algMatched) {
            throw new VerificationFailure(
                    FailureReason.ALGORITHM_NOT_KEYS,
                    "kid " + kidText(kid) + " is published for "
                            + live.get(0).algorithm().jsonName() + ", code says " + alg.jsonName());
        }
        throw new VerificationFailure(
                FailureReason.SIGNATURE_INVALID, "signature does not verify with kid " + kidText(kid));
    }

    private static String kidText(byte[] kid) {
        return Base64.getEncoder().encodeToString(kid);
    }

    static HealthCodeClaims checkClaims(CoseSign1 cose) throws VerificationFailure {
        try {
            return HealthCodeClaims.fromCbor(cose.payload());
        } catch (CodeFormatException e) {
            throw new VerificationFailure(FailureReason.CLAIMS_INVALID, e.getMessage());
        }
    }

    void checkKeyUsage(TrustedKey key, HealthCodeClaims claims) throws VerificationFailure {
        if (!key.usage().contains(TrustListKey.USAGE_HEALTH_CODE)) {
            throw new VerificationFailure(
                    FailureReason.KEY_NOT_FOR_THIS_USE,
                    "key is published for " + key.usage() + ", not " + TrustListKey.USAGE_HEALTH_CODE);
        }
        if (!key.region().equals(claims.issuer())) {
            throw new VerificationFailure(
                    FailureReason.ISSUER_NOT_KEY_REGION,
                    "code claims issuer " + claims.issuer() + " but the key belongs to region " + key.region());
        }
        Instant iat = claims.issuedAt();
        if (iat.isBefore(key.notBefore().minus(clockSkew))
                || iat.isAfter(key.notAfter().plus(clockSkew))) {
            throw new VerificationFailure(
                    FailureReason.SIGNED_OUTSIDE_KEY_VALIDITY,
                    "issued at " + iat + ", outside the key's signing window " + key.notBefore() + " .. "
                            + key.notAfter());
        }
    }

    void checkValidity(HealthCodeClaims claims, Instant now) throws VerificationFailure {
        if (claims.issuedAt().isAfter(now.plus(clockSkew))) {
            throw new VerificationFailure(
                    FailureReason.NOT_YET_VALID,
                    "issued at " + claims.issuedAt() + ", after now " + now + " plus skew " + clockSkew.toSeconds()
                            + " s");
        }
        if (Duration.between(claims.issuedAt(), claims.expiresAt()).compareTo(MAX_CODE_LIFETIME) > 0) {
            throw new VerificationFailure(
                    FailureReason.LIFETIME_TOO_LONG,
                    "issued at " + claims.issuedAt()
                            + " to expire at " + claims.expiresAt() + ": no code lives longer than "
                            + MAX_CODE_LIFETIME.toHours() + " h");
        }
        if (!claims.expiresAt().isAfter(now.minus(clockSkew))) {
            throw new VerificationFailure(FailureReason.EXPIRED, "expired at " + claims.expiresAt());
        }
    }

    private static ObjectNode payload(HealthCodeClaims claims, TrustedKey key) {
        ObjectNode p = JSON.createObjectNode();
        p.put("iss", claims.issuer());
        p.put("colour", claims.colour().wireName());
        p.put("since", claims.since().toString());
        p.put("iat", claims.issuedAt().toString());
        p.put("exp", claims.expiresAt().toString());
        p.put("cti", claims.codeIdHex());
        p.put("kid", Base64.getEncoder().encodeToString(key.kid()));
        return p;
    }
}
