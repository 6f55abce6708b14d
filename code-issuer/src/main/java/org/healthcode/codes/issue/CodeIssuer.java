package org.healthcode.codes.issue;

import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.PreparedSigner;
import org.healthcode.codes.format.Base45;
import org.healthcode.codes.format.CoseSign1;
import org.healthcode.codes.format.Zlib;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.keys.RegionKey;

/**
 * Issues signed health codes: claims -> CBOR -> COSE_Sign1 with the region's current key -> zlib -> Base45 -> prefix.
 * Thread-safe; the key ring is read on every issue so a rotation takes effect at once.
 */
public final class CodeIssuer {
    /** Codes live minutes, not days: a screenshot is worthless soon after. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

    private static final int CODE_ID_BYTES = 12;

    private final Supplier<KeyRing> keyRing;
    private final CoseCrypto crypto;
    private final Duration lifetime;
    /** One DRBG per thread: the default SecureRandom shares one lock across threads. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(CodeIssuer::newRandom);

    private volatile Prepared prepared;

    public CodeIssuer(Supplier<KeyRing> keyRing, CoseCrypto crypto, Duration lifetime) {
        this.keyRing = Objects.requireNonNull(keyRing);
        this.crypto = Objects.requireNonNull(crypto);
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("code lifetime must be positive");
        }
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Signs a code for {@code subject} (the claim as given: {@link org.healthcode.codes.RegionCodes} seals it) now. */
    public IssuedCode issue(String subject, Colour colour, Instant since, Instant now) {
        KeyRing ring = keyRing.get();
        RegionKey key = ring.current();
        if (!key.maySignAt(now)) {
            throw new IllegalStateException("current key " + key.kidHex() + " may sign only from " + key.notBefore()
                    + " to " + key.notAfter() + ": rotate the key ring");
        }
        byte[] codeId = new byte[CODE_ID_BYTES];
        RANDOM.get().nextBytes(codeId);
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        HealthCodeClaims claims = new HealthCodeClaims(
                ring.region(),
                subject,
                iat,
                iat.plus(lifetime),
                codeId,
                colour,
                Instant.ofEpochSecond(since.getEpochSecond()));
        byte[] protectedHeader = CoseSign1.protectedHeader(key.algorithm(), key.kid());
        byte[] payload = claims.toCbor();
        byte[] signature = signerFor(key).sign(CoseSign1.toBeSigned(protectedHeader, payload));
        byte[] cose = CoseSign1.encode(protectedHeader, payload, signature);
        return new IssuedCode(CodePrefix.CURRENT + Base45.encode(Zlib.deflate(cose)), claims, key.kidBase64());
    }

    /** The key made ready to sign once per key (a rotation brings a new one), not per code. */
    private PreparedSigner signerFor(RegionKey key) {
        Prepared cached = prepared;
        if (cached == null || cached.source != key.privateKey()) {
            cached = new Prepared(key.privateKey(), crypto.prepareSigner(key.algorithm(), key.privateKey()));
            prepared = cached;
        }
        return cached.signer;
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private record Prepared(PrivateKey source, PreparedSigner signer) {}
}
