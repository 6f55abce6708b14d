package org.healthcode.interop.audit;

/**
 * Where audit records go: {@link KafkaAuditSink} (the append-only {@code audit} topic), {@link Slf4jAuditSink} or
 * {@link #DISCARD}.
 *
 * <p>Every decision arrives at {@link #record}. Sinks that only care about lookups implement {@link #lookup} alone
 * (a lambda will do): the default {@link #record} hands them each lookup as a {@link LookupAudit}.
 *
 * <p>Called on request threads for every decision: implementations must not block (buffer and ship elsewhere).
 * An implementation that cannot take a record throws {@link AuditUnavailableException}: the decision is then not
 * answered (fail closed; {@code StatusLookupService} answers such a lookup 503 {@code unavailable}).
 */
public interface AuditSink {
    /** Drops every record. */
    AuditSink DISCARD = audit -> { };

    void lookup(LookupAudit audit);

    /** Any decision (lookup, verify, exchange, trust registration, refused access). */
    default void record(AuditRecord audit) {
        if (AuditRecord.LOOKUP.equals(audit.action())) {
            lookup(new LookupAudit(audit.at(), audit.caller(), audit.subject(), audit.result()));
        }
    }
}
