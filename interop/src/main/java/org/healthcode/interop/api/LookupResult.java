package org.healthcode.interop.api;

import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.http.ErrorReason;

/** The outcome of one status lookup: the person's status, or the typed reason there is none. */
public sealed interface LookupResult {
    /** The view holds this status for the person. */
    record Found(StatusRecord status) implements LookupResult {}

    /** No status: {@code reason} says why, {@code message} says it in words for the caller. */
    record Failed(ErrorReason reason, String message) implements LookupResult {}

    /** The label this outcome is counted and audited under: {@code found} or the error code. */
    default String label() {
        return this instanceof Failed f ? f.reason().code() : "found";
    }
}
