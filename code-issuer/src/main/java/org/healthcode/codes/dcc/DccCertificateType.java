package org.healthcode.codes.dcc;

import java.util.List;
import java.util.Set;

/**
 * The three EU DCC certificate types, their key in the hcert payload, and the extended-key-usage OIDs that allow a
 * signer certificate to sign them (the 1.3.6.1.4.1.1847.2021.1.x family and its 1.3.6.1.4.1.0.1847.2021.1.x alternative).
 */
public enum DccCertificateType {
    TEST("t", "test", "1.3.6.1.4.1.1847.2021.1.1", "1.3.6.1.4.1.0.1847.2021.1.1"),
    VACCINATION("v", "vaccination", "1.3.6.1.4.1.1847.2021.1.2", "1.3.6.1.4.1.0.1847.2021.1.2"),
    RECOVERY("r", "recovery", "1.3.6.1.4.1.1847.2021.1.3", "1.3.6.1.4.1.0.1847.2021.1.3");

    private final String payloadKey;
    private final String wireName;
    private final Set<String> oids;

    DccCertificateType(String payloadKey, String wireName, String oid, String alternativeOid) {
        this.payloadKey = payloadKey;
        this.wireName = wireName;
        this.oids = Set.of(oid, alternativeOid);
    }

    public String payloadKey() {
        return payloadKey;
    }

    public String wireName() {
        return wireName;
    }

    public Set<String> oids() {
        return oids;
    }

    /** True when the OID is any of the DCC type OIDs (a DSC carrying none of them may sign every type). */
    public static boolean isTypeOid(String oid) {
        for (DccCertificateType t : values()) {
            if (t.oids.contains(oid)) {
                return true;
            }
        }
        return false;
    }

    /** May a DSC with this extended key usage (null: extension absent) sign this type? */
    public boolean allowedBy(List<String> extendedKeyUsage) {
        if (extendedKeyUsage == null || extendedKeyUsage.stream().noneMatch(DccCertificateType::isTypeOid)) {
            return true;
        }
        return extendedKeyUsage.stream().anyMatch(oids::contains);
    }
}
