package org.healthcode.codes.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A code's subject that only the issuing region can resolve: the person's regional pseudonym encrypted with
 * AES-256-GCM under the region's subject key, with a fresh random 96-bit nonce per code and the region code as
 * associated data. Two codes of one person carry unrelated subjects, so a venue that scans both cannot link them;
 * the region opens either to the pseudonym (a recorded scan names the person). Text form: base64url without padding
 * of {@code nonce || ciphertext || tag}.
 *
 * <p>The key ({@value #FILE}, 32 random bytes, mode 600) lives beside the region's signing keys and is generated on
 * first use. It is never published: verifiers check codes without it. Replacing it makes the subjects of codes
 * issued before unresolvable (they still verify), which lasts at most a code's lifetime.
 */
public final class SubjectSeal {
    public static final String FILE = "subject.key";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);
    /** One cipher per thread, initialised anew for every nonce: looking the provider up costs more than sealing. */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(SubjectSeal::newCipher);

    private final SecretKey key;
    private final byte[] region;

    private SubjectSeal(byte[] key, String region) {
        this.key = new SecretKeySpec(key, "AES");
        this.region = region.getBytes(StandardCharsets.US_ASCII);
    }

    /** The region's subject key from {@code dir/subject.key}, generated there (owner-only) when missing. */
    public static synchronized SubjectSeal openOrCreate(Path dir, String region) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            OwnerOnly.directory(dir);
            byte[] fresh = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(fresh);
            Path tmp = OwnerOnly.newFile(dir.resolve(FILE + ".tmp"));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(fresh));
            Files.move(tmp, file);
        }
        byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
        if (key.length != KEY_BYTES) {
            throw new IOException(file + " does not hold a " + KEY_BYTES + "-byte key");
        }
        return new SubjectSeal(key, region);
    }

    /** For tests and benchmarks: a seal with the given key. */
    public static SubjectSeal of(byte[] key, String region) {
        return new SubjectSeal(key.clone(), region);
    }

    /** A fresh sealed subject for {@code pseudonym}: different at every call. */
    public String seal(String pseudonym) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.get().nextBytes(nonce);
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(region);
            byte[] plain = pseudonym.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[NONCE_BYTES + c.getOutputSize(plain.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            c.doFinal(plain, 0, plain.length, out, NONCE_BYTES);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The pseudonym inside {@code sealed}; empty when this region did not seal it (or it was altered). */
    public Optional<String> open(String sealed) {
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            return Optional.empty();
        }
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(region);
            return Optional.of(new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
