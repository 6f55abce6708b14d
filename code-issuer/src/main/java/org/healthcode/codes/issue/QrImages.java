package org.healthcode.codes.issue;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.EncodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * QR images of a code, PNG and SVG, and reading a code back from a picture.
 *
 * <p>Error correction Q (25%), as the DCC recommends: codes are shown on scratched phone screens. Base45 fits the QR
 * alphanumeric mode, which is why the format uses it.
 */
public final class QrImages {
    private QrImages() {}

    public static BitMatrix matrix(String text) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.Q);
        hints.put(EncodeHintType.MARGIN, 4);
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("text does not fit a QR code: " + e.getMessage(), e);
        }
    }

    /** PNG, each module {@code moduleSize} pixels, black on white. */
    public static byte[] png(String text, int moduleSize) {
        BitMatrix m = matrix(text);
        BitMatrix scaled = new BitMatrix(m.getWidth() * moduleSize, m.getHeight() * moduleSize);
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    scaled.setRegion(x * moduleSize, y * moduleSize, moduleSize, moduleSize);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MatrixToImageWriter.writeToStream(scaled, "PNG", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** SVG in module units (scales without blur), one path for all dark modules; {@code colour} fills them. */
    public static String svg(String text, String colour) {
        BitMatrix m = matrix(text);
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                if (m.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + m.getWidth() + " " + m.getHeight()
                + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\""
                + colour + "\" d=\"" + path + "\"/></svg>\n";
    }

    /**
     * The largest picture {@link #decode} accepts, in pixels (4096 x 4096): a phone photo fits, while a PNG of 150 KB
     * declaring 30 000 x 30 000 pixels (3.6 GB once decoded) is refused from its header, before any pixel is read.
     */
    public static final long MAX_PIXELS = 4096L * 4096L;
    /** Pictures above this many pixels are decoded subsampled: a QR code needs far fewer, the heap stays small. */
    public static final long DECODED_PIXELS = 2048L * 2048L;

    /** A picture whose header declares more than {@link #MAX_PIXELS} pixels: refused without decoding it. */
    public static final class PictureTooLargeException extends IOException {
        PictureTooLargeException(long width, long height) {
            super("the picture is " + width + " x " + height + " pixels; at most " + MAX_PIXELS + " pixels are read");
        }
    }

    /**
     * Reads the text of the QR code in a picture (PNG, JPEG, ...). The dimensions are read from the header first:
     * beyond {@link #MAX_PIXELS} the picture is refused ({@link PictureTooLargeException}), beyond
     * {@link #DECODED_PIXELS} it is decoded subsampled, so no picture costs more than about 20 MB of heap.
     */
    public static String decode(byte[] image) throws IOException {
        BufferedImage img = readBounded(image);
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, java.util.List.of(BarcodeFormat.QR_CODE));
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(img)));
        try {
            return new QRCodeReader().decode(bitmap, hints).getText();
        } catch (NotFoundException | ChecksumException | FormatException e) {
            // A clean rendering (screen capture, generated PNG) sometimes reads only as a "pure" barcode.
            hints.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
            try {
                return new QRCodeReader().decode(bitmap, hints).getText();
            } catch (NotFoundException | ChecksumException | FormatException again) {
                throw new IOException("no readable QR code in the picture", again);
            }
        }
    }

    private static BufferedImage readBounded(byte[] image) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not an image format this JDK reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) {
                    throw new PictureTooLargeException(width, height);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = (int) Math.ceil(Math.sqrt((double) (width * height) / DECODED_PIXELS));
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage img = reader.read(0, param);
                if (img == null) {
                    throw new IOException("not an image format this JDK reads");
                }
                return img;
            } finally {
                reader.dispose();
            }
        }
    }
}
