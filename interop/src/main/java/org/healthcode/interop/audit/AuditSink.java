package org.healthcode.interop.audit;

/**
 * Where audit records of lookups go. The seam for issue 6 (an append-only audit topic); until then
 * {@link #DISCARD} or {@link Slf4jAuditSink}.
 *
 * <p>Called on the request thread for every lookup: implementations must not block (buffer and ship elsewhere).
 */
public interface AuditSink {
    /** Drops every record. */
    AuditSink DISCARD = audit -> { };

    void lookup(LookupAudit audit);
}
