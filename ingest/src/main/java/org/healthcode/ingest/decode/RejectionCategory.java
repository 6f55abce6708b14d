package org.healthcode.ingest.decode;

/** The stable category words that start every rejection reason (also the {@code category} header). */
public final class RejectionCategory {
    /** Not JSON, not Protobuf, not an object, empty. */
    public static final String MALFORMED = "malformed";
    /** A required field is absent, null or empty. */
    public static final String MISSING = "missing";
    /** A field has a bad value: time, enum, area code, ID checksum, range, feed not matching the type... */
    public static final String INVALID = "invalid";
    /** The {@code type} is not one of DESIGN §5. */
    public static final String UNKNOWN_TYPE = "unknown_type";

    private RejectionCategory() {}
}
