package org.healthcode.codes.issue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our code's prefix, {@code HCR<version>:} ("health code, region"); this library writes and reads version 1.
 * The EU DCC's {@code HC1:} is told apart by the R; a verifier accepts both.
 */
public final class CodePrefix {
    public static final String NAME = "HCR";
    public static final int VERSION = 1;
    public static final String CURRENT = NAME + VERSION + ":";
    private static final Pattern OURS = Pattern.compile("^HCR(\\d{1,3}):");

    private CodePrefix() {}

    /** The version number if the text starts with an HCR prefix, else -1. */
    public static int versionOf(String text) {
        Matcher m = OURS.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    public static String body(String text) {
        return text.substring(text.indexOf(':') + 1);
    }
}
