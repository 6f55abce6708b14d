package org.healthcode.ingest.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 truncated to 128 bits and rendered base64url without padding (22 characters); one Mac per thread. */
final class Hmac {
    static final int PSEUDONYM_BYTES = 16;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    Hmac(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Pseudonym of {@code domain + value}; the domain keeps pseudonyms of different kinds apart. */
    String pseudonym(String domain, String value) {
        Mac mac = macs.get();
        mac.update(domain.getBytes(StandardCharsets.UTF_8));
        byte[] full = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        return B64.encodeToString(Arrays.copyOf(full, PSEUDONYM_BYTES));
    }
}
