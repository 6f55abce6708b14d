package org.healthcode.codes.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Base45 (RFC 9285): two bytes become three characters of the QR alphanumeric set, a trailing byte two characters.
 *
 * <p>Written here rather than taken from a library: Maven Central has no maintained Base45 artefact that this build
 * resolves, and the codec is part of our code format (a dozen lines, fully specified by the RFC's examples).
 */
public final class Base45 {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static final byte[] VALUE_OF = new byte[128];

    static {
        java.util.Arrays.fill(VALUE_OF, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUE_OF[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private Base45() {}

    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length + 1) / 2 * 3);
        int i = 0;
        for (; i + 1 < data.length; i += 2) {
            int n = ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
            out.append(ALPHABET.charAt(n % 45))
                    .append(ALPHABET.charAt(n / 45 % 45))
                    .append(ALPHABET.charAt(n / 2025));
        }
        if (i < data.length) {
            int n = data[i] & 0xff;
            out.append(ALPHABET.charAt(n % 45)).append(ALPHABET.charAt(n / 45));
        }
        return out.toString();
    }

    /** Decodes strictly: a character outside the alphabet, a dangling character or a group above its range fails. */
    public static byte[] decode(String text) throws CodeFormatException {
        byte[] chars = text.getBytes(StandardCharsets.ISO_8859_1);
        if (chars.length % 3 == 1) {
            throw new CodeFormatException("Base45 text of length " + chars.length + " ends in a lone character");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(chars.length / 3 * 2 + 1);
        int i = 0;
        for (; i + 2 < chars.length; i += 3) {
            int n = value(chars, i) + value(chars, i + 1) * 45 + value(chars, i + 2) * 2025;
            if (n > 0xffff) {
                throw new CodeFormatException("Base45 group at " + i + " exceeds two bytes");
            }
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        if (i < chars.length) {
            int n = value(chars, i) + value(chars, i + 1) * 45;
            if (n > 0xff) {
                throw new CodeFormatException("Base45 final group exceeds one byte");
            }
            out.write(n);
        }
        return out.toByteArray();
    }

    private static int value(byte[] chars, int index) throws CodeFormatException {
        int c = chars[index] & 0xff;
        int v = c < 128 ? VALUE_OF[c] : -1;
        if (v < 0) {
            throw new CodeFormatException("character " + (char) c + " at " + index + " is not Base45");
        }
        return v;
    }
}
