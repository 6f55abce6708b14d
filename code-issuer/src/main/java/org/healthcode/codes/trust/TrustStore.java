package org.healthcode.codes.trust;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.format.CoseAlgorithm;

/** The keys of every region a checkpoint trusts, from one trust list per region, looked up by kid. */
public final class TrustStore {
    private final Map<String, List<TrustedKey>> byKidHex;
    private final List<TrustList> lists;

    private TrustStore(Map<String, List<TrustedKey>> byKidHex, List<TrustList> lists) {
        this.byKidHex = byKidHex;
        this.lists = List.copyOf(lists);
    }

    /**
     * Builds the store. With hub keys given, every list must carry a hub signature that verifies with one of them;
     * with none given, hub signatures are not checked (development, or a region not yet given the hub key).
     */
    public static TrustStore of(List<TrustList> lists, CoseCrypto crypto, List<PublicKey> hubKeys)
            throws TrustListException {
        Map<String, List<TrustedKey>> index = new HashMap<>();
        Map<String, Integer> regionsSeen = new HashMap<>();
        for (TrustList list : lists) {
            if (regionsSeen.merge(list.region(), 1, Integer::sum) > 1) {
                throw new TrustListException("two trust lists for region " + list.region());
            }
            if (!hubKeys.isEmpty()) {
                verifyHub(list, crypto, hubKeys);
            }
            for (TrustListKey k : list.keys()) {
                if (TrustListKey.STATUS_WITHDRAWN.equals(k.status())) {
                    continue; // published so that every verifier learns it is no longer to be trusted
                }
                TrustedKey key = trusted(list, k, crypto);
                index.computeIfAbsent(HexFormat.of().formatHex(key.kid()), x -> new ArrayList<>())
                        .add(key);
            }
        }
        return new TrustStore(index, lists);
    }

    public static TrustStore load(List<Path> files, CoseCrypto crypto, List<PublicKey> hubKeys)
            throws TrustListException {
        List<TrustList> lists = new ArrayList<>();
        for (Path f : files) {
            lists.add(TrustListJson.read(f));
        }
        return of(lists, crypto, hubKeys);
    }

    private static void verifyHub(TrustList list, CoseCrypto crypto, List<PublicKey> hubKeys)
            throws TrustListException {
        TrustListException last = null;
        for (PublicKey hub : hubKeys) {
            try {
                HubSignatures.verify(list, hub, crypto);
                return;
            } catch (TrustListException e) {
                last = e;
            }
        }
        throw last;
    }

    private static TrustedKey trusted(TrustList list, TrustListKey k, CoseCrypto crypto) throws TrustListException {
        CoseAlgorithm alg = CoseAlgorithm.byName(k.alg())
                .orElseThrow(() -> new TrustListException("trust list " + list.region() + ": unknown alg " + k.alg()));
        try {
            byte[] kid = Base64.getDecoder().decode(k.kid());
            PublicKey pub = crypto.publicKeyFromSpki(alg, Base64.getDecoder().decode(k.publicKey()));
            return new TrustedKey(
                    list.region(),
                    kid,
                    alg,
                    pub,
                    k.notBefore(),
                    k.notAfter(),
                    new HashSet<>(k.usage()),
                    list.expiresAt(),
                    crypto.prepareVerifier(alg, pub));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new TrustListException("trust list " + list.region() + ": key " + k.kid() + " unreadable: " + e, e);
        }
    }

    public List<TrustedKey> byKid(byte[] kid) {
        return byKidHex.getOrDefault(HexFormat.of().formatHex(kid), List.of());
    }

    public List<TrustList> lists() {
        return lists;
    }
}
