package org.healthcode.codes.format;

import java.util.Optional;

/** The COSE signature algorithms we sign or verify with (RFC 9053 identifiers), and the key type each needs. */
public enum CoseAlgorithm {
    /** ECDSA P-256 with SHA-256; the COSE signature is r||s, 64 bytes. */
    ES256(-7, "ES256", "EC"),
    /** EdDSA; we use only Ed25519 with it. */
    EDDSA(-8, "EdDSA", "Ed25519"),
    /** RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32; verify only (EU DCC signers use it). */
    PS256(-37, "PS256", "RSA");

    private final int coseId;
    private final String jsonName;
    private final String keyType;

    CoseAlgorithm(int coseId, String jsonName, String keyType) {
        this.coseId = coseId;
        this.jsonName = jsonName;
        this.keyType = keyType;
    }

    public int coseId() {
        return coseId;
    }

    /** The name used in trust-list files and configuration ("ES256", "EdDSA", "PS256"). */
    public String jsonName() {
        return jsonName;
    }

    /** JCA key algorithm family this signature algorithm takes. */
    public String keyType() {
        return keyType;
    }

    public static Optional<CoseAlgorithm> byCoseId(long id) {
        for (CoseAlgorithm a : values()) {
            if (a.coseId == id) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Accepts the JSON name case-insensitively, and "Ed25519" as a synonym of EdDSA. */
    public static Optional<CoseAlgorithm> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.equalsIgnoreCase("Ed25519")) {
            return Optional.of(EDDSA);
        }
        for (CoseAlgorithm a : values()) {
            if (a.jsonName.equalsIgnoreCase(name) || a.name().equalsIgnoreCase(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
