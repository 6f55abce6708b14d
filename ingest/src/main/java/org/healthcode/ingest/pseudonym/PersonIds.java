package org.healthcode.ingest.pseudonym;

/**
 * The format of person pseudonyms: URL-safe, 1-64 characters of {@code [A-Za-z0-9_-]}.
 *
 * <p>Pseudonyms made here are 22 characters (128 bits of HMAC-SHA256, base64url without padding); sources that
 * send a {@code personId} may use any id of the accepted format. The serving API uses {@link #isValid} to answer
 * 400 to malformed ids before touching its store.
 */
public final class PersonIds {
    public static final int MAX_LENGTH = 64;

    private PersonIds() {}

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
