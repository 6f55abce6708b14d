package org.healthcode.codes.format;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** zlib (RFC 1950) compression of the signed COSE bytes, with a hard cap on the inflated size against zip bombs. */
public final class Zlib {
    /** A QR code holds under 3 KB; anything inflating past this is not one of ours nor a DCC. */
    public static final int MAX_INFLATED_BYTES = 64 * 1024;

    private Zlib() {
    }

    public static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    public static byte[] inflate(byte[] data) throws CodeFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 2);
            byte[] buffer = new byte[2048];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CodeFormatException("zlib stream is truncated");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED_BYTES) {
                    throw new CodeFormatException("zlib stream inflates past " + MAX_INFLATED_BYTES + " bytes");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw new CodeFormatException("bytes after the end of the zlib stream");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new CodeFormatException("not a zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
