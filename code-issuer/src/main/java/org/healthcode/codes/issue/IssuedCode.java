package org.healthcode.codes.issue;

/**
 * A signed code: its text (what the QR holds), the claims inside and the kid that signed it.
 *
 * @param text {@code HCR1:} followed by Base45 of the zlib-compressed COSE_Sign1
 */
public record IssuedCode(String text, HealthCodeClaims claims, String kidBase64) {}
