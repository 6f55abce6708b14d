package org.healthcode.interop.http;

import java.util.regex.Pattern;

/**
 * What a person id at the serving boundary may be: a pseudonym (HMAC, base64url or hex) or a test id of 1 to 64
 * URL-safe characters, and never a raw identity. A caller that sends a resident ID number or a phone number is
 * refused before anything looks it up or records it: raw identities stop at ingest, and the audit stores only
 * pseudonyms.
 */
public final class PersonIds {
    /** Why a raw identity is refused, for the error message. */
    public static final String RAW_IDENTITY = "this looks like a resident ID number or a phone number; person ids are"
            + " pseudonyms, and raw identities are neither looked up nor recorded";

    /** Person ids are pseudonyms (HMAC, base64url or hex) or test ids: short, URL-safe characters only. */
    public static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private PersonIds() {}

    /** {@code WELL_FORMED.matcher(id).matches()} without a matcher: this runs on every lookup. */
    public static boolean isWellFormed(String id) {
        int n = id == null ? 0 : id.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A well-formed person id that is not a raw identity. */
    public static boolean isPseudonym(String id) {
        return isWellFormed(id) && !looksLikeRawIdentity(id);
    }

    /**
     * True for the shapes of raw identities: an 18-character resident ID number (17 digits, then a digit or X), the
     * older 15-digit one, a mainland mobile number (11 digits from 13 to 19) with or without the country code 86.
     * A pseudonym of this engine is never one of these shapes (HMAC output in base64url or hex is longer, or not all
     * digits); a test id that is could be mistaken, and is refused too.
     */
    public static boolean looksLikeRawIdentity(String id) {
        if (id == null) {
            return false;
        }
        int n = id.length();
        int digits = 0;
        while (digits < n && Character.isDigit(id.charAt(digits)) && id.charAt(digits) < 128) {
            digits++;
        }
        if (n == 18 && digits >= 17 && (digits == 18 || id.charAt(17) == 'X' || id.charAt(17) == 'x')) {
            return true;
        }
        if (digits != n) {
            return false;
        }
        return n == 15 || isMobile(id) || n == 13 && id.startsWith("86") && isMobile(id.substring(2));
    }

    private static boolean isMobile(String digits) {
        return digits.length() == 11 && digits.charAt(0) == '1' && digits.charAt(1) >= '3';
    }
}
