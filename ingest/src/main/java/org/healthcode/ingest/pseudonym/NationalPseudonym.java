package org.healthcode.ingest.pseudonym;

import java.io.Serializable;
import java.util.Base64;

/**
 * The national pseudonym of a person: HMAC-SHA256 of the ID number with a key shared by all regions, for
 * cross-region exchange (a region's own pseudonyms mean nothing elsewhere). Same format as person pseudonyms.
 */
public final class NationalPseudonym implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String DOMAIN = "healthcode/national-person/v1:";

    private final byte[] key;
    private transient volatile Hmac hmac;

    public NationalPseudonym(byte[] nationalKey) {
        if (nationalKey.length < RegionSecret.MIN_BYTES) {
            throw new IllegalArgumentException("the national key must be at least " + RegionSecret.MIN_BYTES + " bytes");
        }
        this.key = nationalKey.clone();
    }

    /** From the base64 form in which the national hub distributes the key. */
    public static NationalPseudonym fromBase64(String base64) {
        return new NationalPseudonym(Base64.getDecoder().decode(base64.trim()));
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
