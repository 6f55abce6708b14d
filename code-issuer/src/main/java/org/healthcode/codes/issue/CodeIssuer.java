package org.healthcode.codes.issue;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.healthcode.codes.crypto.CoseCrypto;
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
    private final SecureRandom random = new SecureRandom();
    private volatile ImportedKey imported;

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

    /** Signs a code for {@code subject} (the person's regional pseudonym) with colour and since, issued at {@code now}. */
    public IssuedCode issue(String subject, Colour colour, Instant since, Instant now) {
        KeyRing ring = keyRing.get();
        RegionKey key = ring.current();
        if (!key.maySignAt(now)) {
            throw new IllegalStateException("current key " + key.kidHex() + " may sign only from " + key.notBefore()
                + " to " + key.notAfter() + ": rotate the key ring");
        }
        byte[] codeId = new byte[CODE_ID_BYTES];
        random.nextBytes(codeId);
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        HealthCodeClaims claims = new HealthCodeClaims(ring.region(), subject, iat, iat.plus(lifetime), codeId, colour,
            Instant.ofEpochSecond(since.getEpochSecond()));
        byte[] protectedHeader = CoseSign1.protectedHeader(key.algorithm(), key.kid());
        byte[] payload = claims.toCbor();
        byte[] signature = crypto.sign(key.algorithm(), privateKeyFor(key), CoseSign1.toBeSigned(protectedHeader, payload));
        byte[] cose = CoseSign1.encode(protectedHeader, payload, signature);
        return new IssuedCode(CodePrefix.CURRENT + Base45.encode(Zlib.deflate(cose)), claims, key.kidBase64());
    }

    /** The key in the configured provider's own classes, converted once per key rather than per signature. */
    private PrivateKey privateKeyFor(RegionKey key) {
        ImportedKey cached = imported;
        if (cached == null || cached.source != key.privateKey()) {
            cached = new ImportedKey(key.privateKey(), crypto.importPrivate(key.privateKey()));
            imported = cached;
        }
        return cached.converted;
    }

    private record ImportedKey(PrivateKey source, PrivateKey converted) {
    }
}
