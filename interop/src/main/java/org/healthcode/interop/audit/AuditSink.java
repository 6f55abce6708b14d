package org.healthcode.interop.audit;

/**
 * Where audit records go: {@link KafkaAuditSink} (the append-only {@code audit} topic), {@link Slf4jAuditSink} or
 * {@link #DISCARD}.
 *
 * <p>Every decision arrives at {@link #record}. Sinks that only care about lookups implement {@link #lookup} alone
 * (a lambda will do): the default {@link #record} hands them each lookup as a {@link LookupAudit}, each lookup of a
 * batch record too.
 *
 * <p>Called on request threads for every decision, before the decision is answered. {@link #record} returns once
 * the record is durable (for {@link KafkaAuditSink}: acknowledged by the broker), within a bound; an implementation
 * that cannot make it durable in time throws {@link AuditUnavailableException}: the decision is then not answered
 * (fail closed: 503 {@code unavailable}).
 */
public interface AuditSink {
    /** Drops every record. */
    AuditSink DISCARD = audit -> {};

    void lookup(LookupAudit audit);

    /** Any decision (lookup, verify, exchange, trust registration, refused access). */
    default void record(AuditRecord audit) {
        if (!AuditRecord.LOOKUP.equals(audit.action())) {
            return;
        }
        if (audit.batch().isEmpty()) {
            lookup(new LookupAudit(audit.at(), audit.caller(), audit.subject(), audit.result()));
        } else {
            // one record for a batch: each of its lookups handed over as its own
            for (AuditRecord.BatchItem i : audit.batch()) {
                lookup(new LookupAudit(audit.at(), audit.caller(), i.subject(), i.result()));
            }
        }
    }

    /**
     * As {@link #record}, without holding the calling thread while the record becomes durable: the future completes
     * once it is (for {@link KafkaAuditSink}: when the broker acknowledges the produce request that carried it,
     * together with every record sent alongside), or fails with {@link AuditUnavailableException} within the same
     * bound. The decision is answered only when the future completes normally. By default {@link #record} is called
     * on the calling thread.
     */
    default java.util.concurrent.CompletableFuture<Void> recordAsync(AuditRecord audit) {
        try {
            record(audit);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }
}
