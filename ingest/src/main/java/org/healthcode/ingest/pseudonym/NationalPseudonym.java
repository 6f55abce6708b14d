package org.healthcode.ingest.pseudonym;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The national pseudonym of a person: HMAC-SHA256 of the ID number with a key shared by all regions, for
 * cross-region exchange (a region's own pseudonyms mean nothing elsewhere). Same format as person pseudonyms.
 *
 * <p>Computed at ingest only, where the raw ID number still is (the identity binding); it is what lets another
 * region's federated lookup and risk-person exchange name a person. The key comes from {@link #resolve}: a file,
 * {@value #ENV}, or a development key under the work directory (two regions on one machine then share it only if
 * they share that file: give both {@code --national-key-file}).
 */
public final class NationalPseudonym implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String DOMAIN = "healthcode/national-person/v1:";
    public static final String ENV = "HEALTHCODE_NATIONAL_KEY";

    private final byte[] key;
    private transient volatile Hmac hmac;

    public NationalPseudonym(byte[] nationalKey) {
        if (nationalKey.length < RegionSecret.MIN_BYTES) {
            throw new IllegalArgumentException(
                    "the national key must be at least " + RegionSecret.MIN_BYTES + " bytes");
        }
        this.key = nationalKey.clone();
    }

    /** From the base64 form in which the national hub distributes the key. */
    public static NationalPseudonym fromBase64(String base64) {
        return new NationalPseudonym(Base64.getDecoder().decode(base64.trim()));
    }

    /** Configured file (base64), else {@value #ENV} (base64), else the development key {@code <workDir>/secrets/national-key}. */
    public static NationalPseudonym resolve(Path configuredFile, Map<String, String> env, Path workDir) {
        if (configuredFile != null) {
            return new NationalPseudonym(RegionSecret.fromFile(configuredFile).bytes());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromBase64(fromEnv);
        }
        if (workDir == null) {
            throw new IllegalStateException("no national key: give a key file, set " + ENV
                    + " (base64), or a work directory for a development key");
        }
        // same generation and permissions as the development region secret, its own file
        return new NationalPseudonym(
                RegionSecret.developmentAt(developmentFile(workDir)).bytes());
    }

    /** Where the development national key lives under a work directory. */
    public static Path developmentFile(Path workDir) {
        return workDir.resolve("secrets").resolve("national-key");
    }

    /** The national pseudonym of a valid ID number; throws IllegalArgumentException for an invalid one. */
    public String of(String idNumber) {
        Hmac h = hmac;
        if (h == null) {
            h = new Hmac(key);
            hmac = h;
        }
        return h.pseudonym(DOMAIN, IdNumbers.normalise(idNumber));
    }
}
