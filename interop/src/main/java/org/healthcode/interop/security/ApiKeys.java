package org.healthcode.interop.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API keys this process accepts, read from a file that holds only their SHA-256 hashes.
 *
 * <p>File format, one key a line ({@code #} starts a comment): {@code name role region sha256-hex}. A key is
 * {@value #PREFIX} followed by 32 random bytes in base64url, so an unsalted hash is enough (nothing to guess from a
 * dictionary). Checking a presented key hashes it and compares it with every entry in constant time, without
 * stopping at the first match, so the answer time does not tell how much of a hash matched.
 */
public final class ApiKeys {
    public static final String PREFIX = "hck_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One accepted key: its owner and the hash of the key. */
    record Entry(String name, Role role, String region, byte[] hash) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No keys: only client certificates (or the dev-open mode) authenticate. */
    public static ApiKeys none() {
        return new ApiKeys(List.of());
    }

    /** Reads a key file; every malformed line is reported at once. */
    public static ApiKeys load(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            Optional<Role> role = f.length == 4 ? Role.parse(f[1]) : Optional.empty();
            if (f.length != 4 || role.isEmpty() || !f[3].matches("[0-9a-f]{64}")) {
                problems.add(file + " line " + n + ": expected 'name role region sha256-hex'");
                continue;
            }
            entries.add(new Entry(f[0], role.get(), f[2], HexFormat.of().parseHex(f[3])));
        }
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        return new ApiKeys(entries);
    }

    /** The caller a presented key belongs to, if any. Constant time in the number of entries. */
    public Optional<Caller> authenticate(String presentedKey) {
        byte[] hash = sha256(presentedKey);
        Entry match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.hash(), hash) && match == null) {
                match = e;
            }
        }
        return match == null
                ? Optional.empty()
                : Optional.of(new Caller(match.name(), match.role(), match.region(), Caller.Via.API_KEY));
    }

    public int size() {
        return entries.size();
    }

    /** A fresh random key. Shown once to whoever creates it; only its hash is kept. */
    public static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Appends a new key for {@code name} to the file (created mode 600 when missing) and returns the key. */
    public static String add(Path file, String name, Role role, String region) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]{1,64}") || !region.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("name is [A-Za-z0-9._-]{1,64}, region a six-digit code");
        }
        String key = newKey();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        boolean created = !Files.exists(file);
        Files.writeString(
                file,
                (created ? "# name role region sha256(key): API keys accepted by the serving process\n" : "") + name
                        + " " + role.wireName() + " " + region + " "
                        + HexFormat.of().formatHex(sha256(key)) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (created) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX: the directory's ACL protects it
            }
        }
        return key;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
