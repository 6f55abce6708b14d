package org.healthcode.risk.serialization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact encodings for the fields of records kept in keyed state by the million (stays, activities): a pseudonym
 * (22 characters of unpadded base64url, ingest's 16-byte HMAC) as its 16 bytes, a grid cell id as its two numbers,
 * other text with a variable-length length, numbers in 7-bit groups. A stay's two pseudonyms take 34 bytes instead
 * of 52.
 */
public final class CompactText {
    private static final int PSEUDONYM_CHARS = 22;
    private static final int PSEUDONYM_BYTES = 16;
    private static final int TAG_NULL = 0;
    private static final int TAG_PSEUDONYM = 1;
    private static final int TAG_TEXT = 2;
    private static final int TAG_CELL = 3;
    private static final String CELL_PREFIX = "cell:";
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int k = 0; k < ALPHABET.length; k++) {
            VALUE[ALPHABET[k]] = k;
        }
    }

    private CompactText() {}

    /** A nullable id: a pseudonym as a tag and its 16 bytes, anything else as a tag and {@link #writeText}. */
    public static void writeId(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(TAG_NULL);
        } else if (isPseudonym(s)) {
            out.writeByte(TAG_PSEUDONYM);
            writePseudonym(s, out);
        } else if (!writeCell(s, out)) {
            out.writeByte(TAG_TEXT);
            writeText(s, out);
        }
    }

    public static String readId(DataInputView in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case TAG_NULL -> null;
            case TAG_PSEUDONYM -> readPseudonym(in);
            case TAG_TEXT -> readText(in);
            case TAG_CELL -> CELL_PREFIX + readSignedVarLong(in) + ":" + readSignedVarLong(in);
            default -> throw new IOException("unknown id tag " + tag);
        };
    }

    /** A grid cell id {@code cell:<i>:<j>} (as the grid writes it) as a tag and its two numbers; false for others. */
    private static boolean writeCell(String s, DataOutputView out) throws IOException {
        if (!s.startsWith(CELL_PREFIX)) {
            return false;
        }
        int colon = s.indexOf(':', CELL_PREFIX.length());
        if (colon < 0) {
            return false;
        }
        long i;
        long j;
        try {
            i = Long.parseLong(s, CELL_PREFIX.length(), colon, 10);
            j = Long.parseLong(s, colon + 1, s.length(), 10);
        } catch (NumberFormatException e) {
            return false;
        }
        if (!s.equals(CELL_PREFIX + i + ":" + j)) {
            return false; // "+1", "01", "-0": not the grid's text, kept as it is
        }
        out.writeByte(TAG_CELL);
        writeSignedVarLong(i, out);
        writeSignedVarLong(j, out);
        return true;
    }

    /**
     * Whether {@code s} is 22 base64url characters whose last one carries no bits beyond the 128 (so its 16 bytes
     * give back the same text).
     */
    static boolean isPseudonym(String s) {
        if (s.length() != PSEUDONYM_CHARS) {
            return false;
        }
        for (int k = 0; k < PSEUDONYM_CHARS; k++) {
            char c = s.charAt(k);
            if (c >= 128 || VALUE[c] < 0) {
                return false;
            }
        }
        // 22 characters carry 132 bits: the last character's low 4 bits must be zero
        return (VALUE[s.charAt(PSEUDONYM_CHARS - 1)] & 0xf) == 0;
    }

    private static void writePseudonym(String s, DataOutputView out) throws IOException {
        // 21 characters = 126 bits, then the last character's top 2 bits: 128 bits, written as two longs
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < PSEUDONYM_CHARS; k++) {
            int v = VALUE[s.charAt(k)];
            int bits = k == PSEUDONYM_CHARS - 1 ? 2 : 6;
            int value = k == PSEUDONYM_CHARS - 1 ? v >> 4 : v;
            hi = (hi << bits) | (lo >>> (64 - bits));
            lo = (lo << bits) | value;
        }
        out.writeLong(hi);
        out.writeLong(lo);
    }

    private static String readPseudonym(DataInputView in) throws IOException {
        long hi = in.readLong();
        long lo = in.readLong();
        char[] c = new char[PSEUDONYM_CHARS];
        for (int k = 0; k < PSEUDONYM_CHARS; k++) {
            // bit offset of this character's 6 bits from the top of the 128
            int shift = 128 - 6 * (k + 1);
            int v;
            if (shift >= 64) {
                v = (int) (hi >>> (shift - 64)) & 0x3f;
            } else if (shift > 58) {
                v = (int) ((hi << (64 - shift)) | (lo >>> shift)) & 0x3f;
            } else if (shift >= 0) {
                v = (int) (lo >>> shift) & 0x3f;
            } else {
                v = (int) (lo << -shift) & 0x3f; // the last character: 2 bits, then zeros
            }
            c[k] = ALPHABET[v];
        }
        return new String(c);
    }

    /** Text (not null) as its UTF-8 length in 7-bit groups and its bytes. */
    public static void writeText(String s, DataOutputView out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(b.length, out);
        out.write(b);
    }

    public static String readText(DataInputView in) throws IOException {
        int n = (int) readVarLong(in);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A number in 7-bit groups, low first (negative ones take 10 bytes: use the signed form for those) (a minute in milliseconds takes 3 bytes, not 8). */
    public static void writeVarLong(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7fL) != 0) {
            out.writeByte((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /** Any number, zig-zag encoded (small magnitudes either side of zero stay short). */
    public static void writeSignedVarLong(long v, DataOutputView out) throws IOException {
        writeVarLong((v << 1) ^ (v >> 63), out);
    }

    public static long readSignedVarLong(DataInputView in) throws IOException {
        long z = readVarLong(in);
        return (z >>> 1) ^ -(z & 1);
    }

    public static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readByte();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed variable-length number");
    }
}
