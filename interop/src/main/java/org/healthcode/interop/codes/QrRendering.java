package org.healthcode.interop.codes;

import com.google.zxing.client.j2se.MatrixToImageConfig;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.QrImages;

/**
 * A code's QR image drawn in the colour of the status it carries, as PNG or SVG.
 *
 * <p>The colours are dark enough on white for every scanner's binariser (a light yellow would not read): the
 * yellow is an amber.
 */
public final class QrRendering {
    /** Pixels per QR module in the PNG: about 500 px for a typical 230-character code. */
    static final int PNG_MODULE_PIXELS = 8;

    private QrRendering() {}

    /** CSS hex of a colour's QR modules (the pages use the same values). */
    public static String hex(Colour colour) {
        return switch (colour) {
            case GREEN -> "#1b7f3b";
            case YELLOW -> "#b8860b";
            case RED -> "#c62828";
        };
    }

    public static String svg(String code, Colour colour) {
        return QrImages.svg(code, hex(colour));
    }

    public static byte[] png(String code, Colour colour) {
        BitMatrix m = QrImages.matrix(code);
        BitMatrix scaled = new BitMatrix(m.getWidth() * PNG_MODULE_PIXELS, m.getHeight() * PNG_MODULE_PIXELS);
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    scaled.setRegion(
                            x * PNG_MODULE_PIXELS, y * PNG_MODULE_PIXELS, PNG_MODULE_PIXELS, PNG_MODULE_PIXELS);
                }
            }
        }
        int on = 0xFF000000 | Integer.parseInt(hex(colour).substring(1), 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MatrixToImageWriter.writeToStream(scaled, "PNG", out, new MatrixToImageConfig(on, 0xFFFFFFFF));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
