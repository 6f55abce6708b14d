package org.healthcode.interop.security;

/**
 * Who made a request, as established by authentication: a name (API key name or certificate CN), a role, the region
 * the caller belongs to (GB/T 2260 code; for role {@code region} the calling region) and how it was established.
 */
public record Caller(String name, Role role, String region, Via via) {
    /** How the caller proved who it is. */
    public enum Via {
        API_KEY,
        CLIENT_CERTIFICATE,
        DEV_OPEN
    }

    /** The request attribute under which the authenticated caller travels to the handlers. */
    public static final String ATTRIBUTE = Caller.class.getName();
}
