package org.healthcode.codes.format;

/** A code's bytes do not follow its format (bad Base45, broken zlib stream, not a COSE_Sign1, bad CBOR). */
public final class CodeFormatException extends Exception {
    public CodeFormatException(String message) {
        super(message);
    }

    public CodeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
