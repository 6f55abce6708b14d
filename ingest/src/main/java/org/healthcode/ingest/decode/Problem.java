package org.healthcode.ingest.decode;

/** Why a record is rejected: category, field and reason; thrown inside validation, never out of the decoder. */
final class Problem extends Exception {
    private static final long serialVersionUID = 1L;
    final String category;
    final String field;

    Problem(String category, String field, String reason) {
        super(reason, null, false, false);
        this.category = category;
        this.field = field;
    }

    static Problem missing(String field, String needs) {
        return new Problem(RejectionCategory.MISSING, field, "missing field '" + field + "' (" + needs + ")");
    }

    static Problem invalid(String field, String what) {
        return new Problem(RejectionCategory.INVALID, field, "invalid '" + field + "': " + what);
    }

    /** A value quoted for a reason, shortened so a huge field cannot flood logs and headers. */
    static String quote(String value) {
        String v = value.length() > 40 ? value.substring(0, 37) + "..." : value;
        return "'" + v + "'";
    }
}
