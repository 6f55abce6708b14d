package org.healthcode.codes.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the few definite-length CBOR items our codes are made of (RFC 8949: integers, byte and text strings, arrays,
 * maps, tags), each head in its shortest form, into one growing array.
 *
 * <p>Why not Jackson here: issuing builds four small CBOR items per code (claims, protected header, Sig_structure,
 * COSE_Sign1), and a Jackson generator per item cost more than the bytes themselves. Reading still goes through
 * Jackson ({@link Cbor}). The output is the same bytes Jackson writes for these items (a test holds both to it).
 */
public final class CborWriter {
    private static final int UNSIGNED = 0;
    private static final int NEGATIVE = 1;
    private static final int BYTES = 2;
    private static final int TEXT = 3;
    private static final int ARRAY = 4;
    private static final int MAP = 5;
    private static final int TAG = 6;

    private byte[] buf;
    private int size;

    public CborWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public CborWriter integer(long value) {
        return value >= 0 ? head(UNSIGNED, value) : head(NEGATIVE, -1 - value);
    }

    public CborWriter bytes(byte[] value) {
        head(BYTES, value.length);
        return raw(value);
    }

    public CborWriter text(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        head(TEXT, utf8.length);
        return raw(utf8);
    }

    public CborWriter array(int items) {
        return head(ARRAY, items);
    }

    public CborWriter map(int entries) {
        return head(MAP, entries);
    }

    public CborWriter tag(long tag) {
        return head(TAG, tag);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private CborWriter head(int major, long argument) {
        int type = major << 5;
        if (argument < 24) {
            ensure(1);
            buf[size++] = (byte) (type | argument);
        } else if (argument < 0x100) {
            ensure(2);
            buf[size++] = (byte) (type | 24);
            buf[size++] = (byte) argument;
        } else if (argument < 0x10000) {
            ensure(3);
            buf[size++] = (byte) (type | 25);
            put(argument, 2);
        } else if (argument < 0x100000000L) {
            ensure(5);
            buf[size++] = (byte) (type | 26);
            put(argument, 4);
        } else {
            ensure(9);
            buf[size++] = (byte) (type | 27);
            put(argument, 8);
        }
        return this;
    }

    private void put(long value, int bytes) {
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (value >>> shift);
        }
    }

    private CborWriter raw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buf, size, value.length);
        size += value.length;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
