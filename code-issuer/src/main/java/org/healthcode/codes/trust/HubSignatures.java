package org.healthcode.codes.trust;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.KeyIds;

/**
 * A national hub signs each region's trust list; checkpoints verify that signature when the
 * list carries one and they know the hub's key.
 */
public final class HubSignatures {
    private HubSignatures() {}

    public static TrustList sign(
            TrustList list, PrivateKey hubKey, PublicKey hubPublic, CoseAlgorithm alg, CoseCrypto crypto) {
        byte[] sig = crypto.sign(alg, hubKey, TrustListJson.signedBytes(list));
        return list.withHubSignature(new HubSignature(
                Base64.getEncoder().encodeToString(KeyIds.ofPublicKey(hubPublic)),
                alg.jsonName(),
                Base64.getEncoder().encodeToString(sig)));
    }

    /** Fails unless the list carries a hub signature that verifies with {@code hubKey}. */
    public static void verify(TrustList list, PublicKey hubKey, CoseCrypto crypto) throws TrustListException {
        HubSignature h = list.hubSignature()
                .orElseThrow(
                        () -> new TrustListException("trust list of " + list.region() + " carries no hub signature"));
        CoseAlgorithm alg = CoseAlgorithm.byName(h.alg())
                .orElseThrow(() -> new TrustListException("hub signature algorithm " + h.alg() + " unknown"));
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(h.signature());
        } catch (IllegalArgumentException e) {
            throw new TrustListException("hub signature is not base64", e);
        }
        if (!crypto.verify(alg, hubKey, TrustListJson.signedBytes(list), sig)) {
            throw new TrustListException("hub signature on the trust list of " + list.region() + " does not verify");
        }
    }
}
