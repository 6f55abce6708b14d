package org.healthcode.interop.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.keys.KeyRingStore;
import org.healthcode.codes.keys.RegionKey;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.trust.TrustListKey;
import org.healthcode.interop.security.Caller;

/**
 * The national hub's registry: each region's registered keys and the key ids it withdrew, kept in
 * {@code registry.json}, and the signed {@link TrustBundle} published from them. The hub key is generated at first
 * start ({@code keys/000000/} under the hub's directory, code-issuer's key store) and its public half written to
 * {@code hub-key.pub} (base64 SPKI) for regions and checkpoints ({@code --hub-key}).
 *
 * <p>A registration passes, in order: {@link #checkCallerRegion} (mutual TLS says the caller is that region),
 * {@link #checkSigner} (signed by a key the hub already trusts for that region, not withdrawn),
 * {@link #checkSignature}, {@link #checkNothingWithdrawn} (no withdrawn key comes back). Regions are first known
 * by enrolment: their trust-list file handed to the hub operator out of band.
 */
public final class TrustHub {
    /** A registration refused: why, in words for the region's operator. */
    public static final class Rejected extends Exception {
        public Rejected(String message) {
            super(message);
        }
    }

    /** One publication: the bundle, its JSON and its ETag. */
    public record Published(TrustBundle bundle, String json, String etag) {}

    /** What the hub knows of one region. */
    private record Entry(TrustList list, Set<String> withdrawn) {}

    public static final String HUB_REGION = "000000";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Clock clock;
    private final Duration validity;
    private final CoseCrypto crypto = new CoseCrypto(CryptoProvider.BC);
    private final RegionKey hubKey;
    private final Map<String, Entry> regions = new TreeMap<>();
    private long serial;
    private Published published;

    private TrustHub(Path dir, Clock clock, Duration validity, RegionKey hubKey) {
        this.dir = dir;
        this.clock = clock;
        this.validity = validity;
        this.hubKey = hubKey;
    }

    /** Opens the hub's registry in {@code dir}, generating the hub key there at first start. */
    public static TrustHub open(Path dir, Clock clock, Duration validity) throws IOException {
        Files.createDirectories(dir);
        KeyRing ring = KeyRingStore.openOrCreateForDevelopment(
                dir, HUB_REGION, CoseAlgorithm.EDDSA, clock.instant(), Duration.ofDays(3650));
        TrustHub hub = new TrustHub(dir, clock, validity, ring.current());
        Files.writeString(
                dir.resolve("hub-key.pub"),
                Base64.getEncoder().encodeToString(ring.current().publicKey().getEncoded()) + "\n");
        hub.load();
        return hub;
    }

    /** Where the hub's public key is written for distribution. */
    public Path publicKeyFile() {
        return dir.resolve("hub-key.pub");
    }

    public PublicKey publicKey() {
        return hubKey.publicKey();
    }

    /** Enrols a region out of band unless it is already registered (a restart keeps later registrations). */
    public synchronized boolean enrol(TrustList list) throws IOException {
        if (regions.containsKey(list.region())) {
            return false;
        }
        regions.put(list.region(), new Entry(list, Set.of()));
        changed();
        return true;
    }

    /** Applies a registration from {@code caller}, or says why not. */
    public synchronized void register(KeyRegistration r, Caller caller) throws Rejected, IOException {
        String region = r.trustList().region();
        checkCallerRegion(caller, region);
        Entry known = regions.get(region);
        TrustListKey signer = checkSigner(known, r);
        checkSignature(signer, r);
        checkNewer(known, r);
        Set<String> withdrawn = new HashSet<>(known.withdrawn());
        withdrawn.addAll(r.withdraw());
        checkNothingWithdrawn(r.trustList(), withdrawn);
        regions.put(region, new Entry(r.trustList(), Set.copyOf(withdrawn)));
        changed();
    }

    static void checkCallerRegion(Caller caller, String region) throws Rejected {
        if (caller == null || !region.equals(caller.region())) {
            throw new Rejected("a region registers only its own keys: caller is "
                    + (caller == null ? "unknown" : caller.region()) + ", list is " + region);
        }
    }

    static TrustListKey checkSigner(Entry known, KeyRegistration r) throws Rejected {
        if (known == null) {
            throw new Rejected("region " + r.trustList().region() + " is not enrolled at this hub");
        }
        if (known.withdrawn().contains(r.signedBy())) {
            throw new Rejected("signing key " + r.signedBy() + " is withdrawn");
        }
        for (TrustListKey k : known.list().keys()) {
            if (k.kid().equals(r.signedBy())) {
                return k;
            }
        }
        throw new Rejected("signing key " + r.signedBy() + " is not a registered key of "
                + r.trustList().region());
    }

    void checkSignature(TrustListKey signer, KeyRegistration r) throws Rejected {
        try {
            CoseAlgorithm alg = CoseAlgorithm.byName(signer.alg()).orElseThrow();
            PublicKey pub = crypto.publicKeyFromSpki(alg, Base64.getDecoder().decode(signer.publicKey()));
            byte[] sig = Base64.getDecoder().decode(r.signature());
            if (!signer.alg().equals(r.alg())
                    || !crypto.verify(alg, pub, KeyRegistration.signedBytes(r.trustList(), r.withdraw()), sig)) {
                throw new Rejected("the registration's signature does not verify with key " + r.signedBy());
            }
        } catch (GeneralSecurityException | IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new Rejected("the registration's signature cannot be checked: " + e.getMessage());
        }
    }

    /**
     * A registration replaces the region's list only with a newer one: a recorded registration sent again (or an
     * older one) would roll the key set back, e.g. bring back a key withdrawn since.
     */
    static void checkNewer(Entry known, KeyRegistration r) throws Rejected {
        if (!r.trustList().issuedAt().isAfter(known.list().issuedAt())) {
            throw new Rejected("the registered list was issued at "
                    + r.trustList().issuedAt() + ", not after the region's current one of "
                    + known.list().issuedAt() + " (a replay?)");
        }
    }

    static void checkNothingWithdrawn(TrustList list, Set<String> withdrawn) throws Rejected {
        for (TrustListKey k : list.keys()) {
            if (withdrawn.contains(k.kid())) {
                throw new Rejected("key " + k.kid() + " is withdrawn and cannot be registered again");
            }
        }
    }

    /** The current signed bundle, re-signed after a change or when a tenth of its validity has passed. */
    public synchronized Published current() {
        Instant now = clock.instant();
        if (published == null || now.isAfter(published.bundle().issuedAt().plus(validity.dividedBy(10)))) {
            publish(now);
        }
        return published;
    }

    private void changed() throws IOException {
        serial++;
        save();
        publish(clock.instant());
    }

    private void publish(Instant now) {
        TrustBundle b = TrustBundle.sign(
                serial,
                now,
                now.plus(validity),
                new ArrayList<>(listsOf()),
                hubKey.privateKey(),
                hubKey.publicKey(),
                hubKey.algorithm(),
                crypto);
        String json = b.toJson();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            published = new Published(b, json, "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<TrustList> listsOf() {
        List<TrustList> out = new ArrayList<>();
        regions.values().forEach(e -> out.add(e.list()));
        return out;
    }

    private void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("serial", serial);
        ObjectNode rs = root.putObject("regions");
        for (Map.Entry<String, Entry> e : regions.entrySet()) {
            ObjectNode r = rs.putObject(e.getKey());
            r.set("trustList", JSON.readTree(TrustListJson.write(e.getValue().list())));
            ArrayNode w = r.putArray("withdrawn");
            e.getValue().withdrawn().stream().sorted().forEach(w::add);
        }
        Path tmp = dir.resolve("registry.json.tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, dir.resolve("registry.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void load() throws IOException {
        Path f = dir.resolve("registry.json");
        if (!Files.exists(f)) {
            return;
        }
        JsonNode root = JSON.readTree(f.toFile());
        serial = root.path("serial").asLong();
        for (var it = root.path("regions").fields(); it.hasNext(); ) {
            var e = it.next();
            Set<String> w = new HashSet<>();
            e.getValue().path("withdrawn").forEach(k -> w.add(k.asText()));
            try {
                regions.put(
                        e.getKey(),
                        new Entry(
                                TrustListJson.read(
                                        JSON.writeValueAsString(e.getValue().path("trustList"))),
                                Set.copyOf(w)));
            } catch (TrustListException ex) {
                throw new IOException("registry.json: region " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
    }
}
