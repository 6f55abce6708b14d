package org.healthcode.interop.codes;

import java.time.Instant;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.interop.http.ErrorReason;

/** The outcome of asking for a person's code: the code, or the typed reason there is none. */
public sealed interface CodeResult {
    /**
     * The person's current code.
     *
     * @param refreshAt after this instant a new request gets a new code (the page refreshes then)
     * @param reused    true when the cached code was handed out again
     */
    record Issued(IssuedCode code, Instant refreshAt, boolean reused) implements CodeResult {}

    /** No code: {@code reason} says why, {@code message} says it in words. */
    record Failed(ErrorReason reason, String message) implements CodeResult {}
}
