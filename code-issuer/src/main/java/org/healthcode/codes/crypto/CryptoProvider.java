package org.healthcode.codes.crypto;

import java.security.Provider;
import java.util.Locale;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Which JCA provider computes signatures: the JDK's own (SunEC, SunRsaSign) or BouncyCastle. */
public enum CryptoProvider {
    JDK,
    BC;

    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    /** The provider object to pass to {@code getInstance}; null means "the JDK's default lookup". */
    Provider provider() {
        return this == BC ? BOUNCY_CASTLE : null;
    }

    public static CryptoProvider parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        return switch (n) {
            case "JDK", "SUN", "SUNEC" -> JDK;
            case "BC", "BOUNCYCASTLE" -> BC;
            default -> throw new IllegalArgumentException("unknown crypto provider " + name + " (jdk or bc)");
        };
    }
}
