package org.healthcode.risk.sources;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A JSON Lines archive as analysts keep it: one file, plain or gzip ({@code .gz}), or a directory of such files
 * (daily files), read in name order. Scanned once before a replay: the line count of each file (lines are numbered
 * across the files, so a rejected line names one place), the total for the progress line, the bytes on disk and
 * their SHA-256 (over the files in order), which a report states so a reader can tell which archive it came from.
 *
 * @param files the files in reading order
 * @param lineOffsets for each file, the number of lines in the files before it
 * @param lines lines in all files
 * @param blankLines lines that are empty or only blanks: not records, skipped by the replay and counted here
 * @param bytes bytes on disk (compressed where the files are)
 * @param sha256 hex SHA-256 of the files' bytes on disk, concatenated in order; null from {@link #scanLines}
 */
public record ArchiveFiles(
        List<Path> files, List<Long> lineOffsets, long lines, long blankLines, long bytes, String sha256) {

    /** Lists and scans {@code path}: a file, or the regular files of a directory, not hidden ones, by name. */
    public static ArchiveFiles scan(Path path) throws IOException {
        return scan(path, true);
    }

    /** As {@link #scan}, without the checksum: a replay needs the files and their lines only. */
    public static ArchiveFiles scanLines(Path path) throws IOException {
        return scan(path, false);
    }

    private static ArchiveFiles scan(Path path, boolean digest) throws IOException {
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().startsWith(".")
                                && !p.getFileName().toString().startsWith("_"))
                        .sorted()
                        .toList();
            }
            if (files.isEmpty()) {
                throw new IOException(path + ": the archive directory holds no files");
            }
        } else {
            files = List.of(path);
        }
        MessageDigest sha;
        try {
            sha = digest ? MessageDigest.getInstance("SHA-256") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Long> offsets = new ArrayList<>();
        long lines = 0;
        long blank = 0;
        long bytes = 0;
        for (Path f : files) {
            offsets.add(lines);
            bytes += Files.size(f);
            long[] counts = countLines(f, sha);
            lines += counts[0];
            blank += counts[1];
        }
        return new ArchiveFiles(
                files,
                List.copyOf(offsets),
                lines,
                blank,
                bytes,
                sha == null ? null : HexFormat.of().formatHex(sha.digest()));
    }

    /** Whether the file is read through gzip (as Flink's file source does, by its name). */
    public static boolean isGzip(Path f) {
        return f.getFileName().toString().endsWith(".gz");
    }

    /** Opens a file of the archive as its lines' bytes (decompressed). */
    public static InputStream open(Path f) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
        return isGzip(f) ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /**
     * Lines as {@link NumberedLineFormat} counts them (a last line without a terminator counts), and of those the
     * blank ones it skips (nothing but spaces, tabs and a CR).
     */
    private static long[] countLines(Path f, MessageDigest sha) throws IOException {
        try (InputStream raw =
                        sha == null ? Files.newInputStream(f) : new DigestingStream(Files.newInputStream(f), sha);
                InputStream in = isGzip(f) ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buf = new byte[1 << 16];
            long lines = 0;
            long blank = 0;
            boolean content = false;
            int last = '\n';
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        lines++;
                        blank += content ? 0 : 1;
                        content = false;
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        content = true;
                    }
                }
                last = buf[n - 1];
            }
            if (last != '\n') {
                lines++;
                blank += content ? 0 : 1;
            }
            return new long[] {lines, blank};
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Feeds every byte read from the file on disk to the digest. */
    private static final class DigestingStream extends java.io.FilterInputStream {
        private final MessageDigest sha;

        DigestingStream(InputStream in, MessageDigest sha) {
            super(in);
            this.sha = sha;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sha.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sha.update(b, off, n);
            }
            return n;
        }
    }
}
