package org.healthcode.interop.audit;

import java.time.Instant;

/**
 * One lookup decision, for the audit trail: who asked (unknown where callers do not authenticate), about whom,
 * when, and with which result ({@code found} or an error code).
 *
 * @param personId the person looked up, or null when the id was malformed (raw input is not recorded)
 */
public record LookupAudit(Instant at, String caller, String personId, String result) {
    /** The caller name used until requests carry credentials. */
    public static final String ANONYMOUS = "anonymous";
}
