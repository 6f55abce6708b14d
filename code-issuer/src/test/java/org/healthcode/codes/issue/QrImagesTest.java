package org.healthcode.codes.issue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.healthcode.codes.support.TestRegions.GUANGDONG;
import static org.healthcode.codes.support.TestRegions.MONDAY_9AM;
import static org.healthcode.codes.support.TestRegions.issuer;
import static org.healthcode.codes.support.TestRegions.keyRing;

import org.healthcode.codes.format.CoseAlgorithm;
import org.junit.jupiter.api.Test;

class QrImagesTest {
    private final String code = issuer(keyRing(GUANGDONG, CoseAlgorithm.ES256, MONDAY_9AM))
            .issue("p-alice", Colour.RED, MONDAY_9AM, MONDAY_9AM)
            .text();

    @Test
    void pngDecodesBackToTheSameCode() throws Exception {
        byte[] png = QrImages.png(code, 4);

        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(QrImages.decode(png)).isEqualTo(code);
    }

    @Test
    void aPictureLargerThanTheDecodeBudgetIsReadSubsampled() throws Exception {
        byte[] png = QrImages.png(code, 35);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertThat((long) img.getWidth() * img.getHeight())
                .isGreaterThan(QrImages.DECODED_PIXELS)
                .isLessThanOrEqualTo(QrImages.MAX_PIXELS);

        assertThat(QrImages.decode(png)).isEqualTo(code);
    }

    @Test
    void aPictureOverThePixelBudgetIsRefusedFromItsHeader() {
        byte[] png = QrImages.png(code, 70);

        assertThatThrownBy(() -> QrImages.decode(png))
                .isInstanceOf(QrImages.PictureTooLargeException.class)
                .hasMessageContaining(" x ");
    }

    @Test
    void svgDrawsTheSameModulesInTheGivenColour() {
        String svg = QrImages.svg(code, "#d32f2f");
        int size = QrImages.matrix(code).getWidth();

        assertThat(svg)
                .startsWith("<svg")
                .contains("viewBox=\"0 0 " + size + " " + size + "\"")
                .contains("fill=\"#d32f2f\"");
        long darkModules = svg.chars().filter(c -> c == 'z').count();
        var m = QrImages.matrix(code);
        long expected = 0;
        for (int y = 0; y < m.getHeight(); y++) {
            for (int x = 0; x < m.getWidth(); x++) {
                expected += m.get(x, y) ? 1 : 0;
            }
        }
        assertThat(darkModules).isEqualTo(expected);
    }
}
