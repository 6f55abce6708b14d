package org.healthcode.ingest.pseudonym;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The region's pseudonym key (at least 32 bytes), from configuration or, for development, generated once.
 *
 * <p>Lookup order of {@link #resolve}: an explicit file (base64 text), the environment variable
 * {@value #ENV} (base64), then the development secret {@code <workDir>/secrets/region-secret}, created on first
 * use with permissions 600 and reused afterwards. The work directory must not be committed (it is git-ignored).
 * Deliberately not Serializable, and {@link #toString} shows only a fingerprint.
 */
public final class RegionSecret {
    public static final String ENV = "HEALTHCODE_REGION_SECRET";
    public static final int MIN_BYTES = 32;
    static final int GENERATED_BYTES = 32;

    private final byte[] key;

    private RegionSecret(byte[] key) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "a region secret must be at least " + MIN_BYTES + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    public static RegionSecret ofBytes(byte[] key) {
        return new RegionSecret(key);
    }

    public static RegionSecret fromBase64(String base64) {
        try {
            return new RegionSecret(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the region secret is not valid base64 of at least " + MIN_BYTES + " bytes: " + e.getMessage(), e);
        }
    }

    /** Reads a file holding the secret as base64 text. */
    public static RegionSecret fromFile(Path file) {
        try {
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the region secret from " + file, e);
        }
    }

    /** Where the development secret lives under a work directory. */
    public static Path developmentFile(Path workDir) {
        return workDir.resolve("secrets").resolve("region-secret");
    }

    /** The development secret under {@code workDir}: read when present, else generated (600) and kept. */
    public static RegionSecret development(Path workDir) {
        return developmentAt(developmentFile(workDir));
    }

    /** A development key in {@code file}: read when present, else generated (600, directory 700) and kept. */
    public static RegionSecret developmentAt(Path file) {
        if (Files.exists(file)) {
            return fromFile(file);
        }
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir, ownerOnly("rwx------"));
            byte[] key = new byte[GENERATED_BYTES];
            new SecureRandom().nextBytes(key);
            Path tmp = Files.createTempFile(dir, "region-secret", ".tmp", ownerOnly("rw-------"));
            try {
                Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                // A hard link fails when the file exists: two processes starting together agree on one secret.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process won; use its secret
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return fromFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the development region secret at " + file, e);
        }
    }

    /** Configured file, else the environment variable, else the development secret under {@code workDir}. */
    public static RegionSecret resolve(Path configuredFile, Path workDir) {
        return resolve(configuredFile, System.getenv(), workDir);
    }

    /** As {@link #resolve(Path, Path)} with an explicit environment (tests). */
    public static RegionSecret resolve(Path configuredFile, Map<String, String> env, Path workDir) {
        if (configuredFile != null) {
            return fromFile(configuredFile);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromBase64(fromEnv);
        }
        if (workDir == null) {
            throw new IllegalStateException("no region secret: give a secret file, set " + ENV
                    + " (base64), or a work directory for a development secret");
        }
        return development(workDir);
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    /** A short fingerprint that tells whether two processes share the secret, without revealing it. */
    public String fingerprint() {
        return fingerprint(key);
    }

    static String fingerprint(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("healthcode/fingerprint:".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(String perms) {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))
            };
        }
        return new FileAttribute<?>[0];
    }

    @Override
    public String toString() {
        return "RegionSecret[" + fingerprint() + "]";
    }
}
