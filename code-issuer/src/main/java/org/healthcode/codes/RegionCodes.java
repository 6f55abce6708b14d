package org.healthcode.codes;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.issue.CodeIssuer;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.codes.keys.KeyGeneration;
import org.healthcode.codes.keys.KeyRing;
import org.healthcode.codes.keys.KeyRingStore;
import org.healthcode.codes.keys.SubjectSeal;
import org.healthcode.codes.trust.TrustList;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.codes.trust.TrustListPublisher;

/**
 * The entry point a serving process holds for one region: opens (or, in development, creates) the key ring, issues
 * codes, publishes the trust list, rotates keys. Thread-safe; rotation swaps the ring atomically.
 */
public final class RegionCodes {
    private final CodesConfig config;
    private final KeyRingStore store;
    private final AtomicReference<KeyRing> ring;
    private final CoseCrypto crypto;
    private final CodeIssuer issuer;
    private final SubjectSeal subjects;
    private volatile java.nio.file.attribute.FileTime loadedAt;
    private volatile long lastCheckNanos = System.nanoTime();

    private RegionCodes(CodesConfig config, KeyRingStore store, KeyRing ring, SubjectSeal subjects) {
        this.config = config;
        this.subjects = subjects;
        this.store = store;
        this.ring = new AtomicReference<>(ring);
        this.crypto = new CoseCrypto(config.provider());
        this.issuer = new CodeIssuer(this.ring::get, crypto, config.codeLifetime());
        this.loadedAt = store.lastModified();
    }

    /**
     * Opens the region's keys: from {@code keyDirectory} (password from the environment) when configured, else from
     * the work directory, generating a current and a next key there on first start.
     */
    public static RegionCodes open(CodesConfig config, Instant now) throws IOException {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("code issuing configuration: " + String.join("; ", problems));
        }
        Path dir = config.effectiveKeyDirectory();
        KeyRing ring;
        if (config.keyDirectory() != null) {
            ring = new KeyRingStore(dir, KeyRingStore.passwordFor(dir)).load();
        } else {
            ring = KeyRingStore.openOrCreateForDevelopment(
                    config.workDir(), config.region(), config.algorithm(), now, config.keySigningWindow());
        }
        if (!ring.region().equals(config.region())) {
            throw new IOException(
                    "key ring in " + dir + " is for region " + ring.region() + ", not " + config.region());
        }
        return new RegionCodes(
                config,
                new KeyRingStore(dir, KeyRingStore.passwordFor(dir)),
                ring,
                SubjectSeal.openOrCreate(dir, config.region()));
    }

    /**
     * Signs a code for a person's current status. {@code pseudonym} is the person's regional pseudonym, never a raw
     * id; the code carries it sealed ({@link SubjectSeal}), differently in every code, so only this region can tell
     * whose code it is.
     */
    public IssuedCode issue(String pseudonym, Colour colour, Instant since, Instant now) {
        reloadIfChanged();
        return issuer.issue(subjects.seal(pseudonym), colour, since, now);
    }

    /** The pseudonym inside a code's subject, when this region sealed it. */
    public Optional<String> resolveSubject(String sealed) {
        return subjects.open(sealed);
    }

    public TrustList trustList(Instant now) {
        reloadIfChanged();
        return TrustListPublisher.publish(ring.get(), now, config.trustListValidity());
    }

    /** Writes the trust list checkpoints load, e.g. {@code <workDir>/trust/<region>.json}. */
    public Path writeTrustList(Path file, Instant now) throws IOException {
        TrustListJson.write(trustList(now), file);
        return file;
    }

    /**
     * Withdraws a compromised key ({@link KeyRing#withdraw}); saved before it takes effect. Another process holding
     * the same key directory picks the change up within a second of its next code or trust list
     * ({@link #reloadIfChanged}).
     */
    public synchronized KeyRing withdraw(String kid, Instant now) throws IOException {
        KeyRing withdrawn = ring.get()
                .withdraw(
                        kid,
                        now,
                        KeyGeneration.generate(config.region(), config.algorithm(), now, config.keySigningWindow()),
                        config.codeLifetime().plus(config.clockSkew()));
        store.save(withdrawn);
        ring.set(withdrawn);
        loadedAt = store.lastModified();
        return withdrawn;
    }

    /**
     * Reloads the ring when its files changed since it was read (a rotation or withdrawal by {@code ./healthcode
     * keys}); checked at most once a second, so a running serving process stops signing with a withdrawn key and
     * stops publishing it at its next trust list.
     */
    public void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - lastCheckNanos < 1_000_000_000L) {
            return;
        }
        lastCheckNanos = now;
        try {
            java.nio.file.attribute.FileTime t = store.lastModified();
            if (t != null && !t.equals(loadedAt)) {
                synchronized (this) {
                    KeyRing fresh = store.load();
                    loadedAt = t;
                    ring.set(fresh);
                }
            }
        } catch (IOException e) {
            // keep the ring in memory; the next check tries again
        }
    }

    /** Next becomes current, current retires now, a new next is generated; saved before it takes effect. */
    public synchronized KeyRing rotate(Instant now) throws IOException {
        KeyRing rotated = ring.get()
                .rotate(
                        now,
                        KeyGeneration.generate(config.region(), config.algorithm(), now, config.keySigningWindow()),
                        config.codeLifetime().plus(config.clockSkew()));
        store.save(rotated);
        ring.set(rotated);
        loadedAt = store.lastModified();
        return rotated;
    }

    public KeyRing keyRing() {
        return ring.get();
    }

    public CoseCrypto crypto() {
        return crypto;
    }

    public CodesConfig config() {
        return config;
    }
}
