package org.healthcode.ingest.pseudonym;

import java.io.Serializable;

/**
 * Replaces raw ID numbers and phone numbers by keyed pseudonyms: HMAC-SHA256 with the region secret.
 *
 * <p>Person pseudonyms and phone pseudonyms use different domain prefixes inside the HMAC input, so a phone
 * pseudonym can never equal a person pseudonym. Inputs are normalised first ({@link IdNumbers#normalise},
 * {@link Msisdns#normalise}) so spellings of one identity give one pseudonym. Output: 22 characters base64url
 * (128 bits), which {@link PersonIds#isValid} accepts.
 *
 * <p>Serializable because the Flink job ships it to its decode operator. That puts the key into the job graph:
 * acceptable inside one region's cluster, which holds the secret anyway.
 */
public final class Pseudonymiser implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String PERSON_DOMAIN = "healthcode/person/v1:";
    static final String PHONE_DOMAIN = "healthcode/phone/v1:";

    private final byte[] key;
    private transient volatile Hmac hmac;

    public Pseudonymiser(RegionSecret secret) {
        this.key = secret.bytes();
    }

    /** The person pseudonym of a valid ID number; throws IllegalArgumentException for an invalid one. */
    public String personId(String idNumber) {
        return hmac().pseudonym(PERSON_DOMAIN, IdNumbers.normalise(idNumber));
    }

    /** The phone pseudonym of a valid MSISDN; throws IllegalArgumentException for an invalid one. */
    public String phoneId(String msisdn) {
        return hmac().pseudonym(PHONE_DOMAIN, Msisdns.normalise(msisdn));
    }

    private Hmac hmac() {
        Hmac h = hmac;
        if (h == null) {
            // a benign race: two threads may each build one; both compute the same pseudonyms
            h = new Hmac(key);
            hmac = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "Pseudonymiser[key " + RegionSecret.fingerprint(key) + "]";
    }
}
