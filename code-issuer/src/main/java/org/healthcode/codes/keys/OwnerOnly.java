package org.healthcode.codes.keys;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Directories and files only their owner may read: keys, statuses and audit records are created 700 (directories)
 * and 600 (files), whatever the process's umask. On a file system without POSIX permissions (Windows) the directory's
 * ACL is what protects them, and these calls only create.
 */
public final class OwnerOnly {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {}

    /** Creates {@code dir} (and missing parents) and makes it rwx------ (also when it existed with wider rights). */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    /** A new empty file rw------- from its creation on (an existing one is replaced), to write secrets into. */
    public static Path newFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        if (POSIX) {
            return Files.createFile(
                    file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createFile(file);
    }
}
