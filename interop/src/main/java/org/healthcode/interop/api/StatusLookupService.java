package org.healthcode.interop.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.AuditUnavailableException;
import org.healthcode.interop.audit.LookupAudit;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.security.Role;
import org.healthcode.interop.store.StatusView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks a person's status up in the view: each check a named method with a typed failure; every outcome counted
 * and audited.
 */
public final class StatusLookupService {
    private static final Logger LOG = LoggerFactory.getLogger(StatusLookupService.class);
    private final StatusView view;
    private final AuditSink audit;
    private final ServingMetrics metrics;
    private final Clock clock;
    private volatile LongSupplier viewAgeMillis = () -> 0;
    private volatile long maxViewAgeMillis;

    public StatusLookupService(StatusView view, AuditSink audit, ServingMetrics metrics, Clock clock) {
        this.view = view;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The status of {@code personId}, or why there is none (no caller known: audited as anonymous). */
    public LookupResult lookup(String personId) {
        return lookup(null, personId);
    }

    /**
     * The status of a person for {@code caller}: another region names the person by their national pseudonym (it
     * never knows this region's person ids); everyone else by this region's person id. Audited under the person id
     * of this region when found, so the person sees every lookup of them whoever asked. Holds the calling thread
     * until the audit record is durable: {@link #lookupAsync} does not.
     */
    public LookupResult lookup(Caller caller, String id) {
        return lookupAsync(caller, id).join();
    }

    /**
     * As {@link #lookup}, answered once the lookup's audit record is durable (the future never fails: a record that
     * could not be made durable answers {@link ErrorReason#UNAVAILABLE}). The view is read at once; only the answer
     * waits, without a thread, for the audit's acknowledgement.
     */
    public CompletableFuture<LookupResult> lookupAsync(Caller caller, String id) {
        LookupResult stale = checkViewFresh();
        if (stale != null) {
            // decides and reveals nothing about anyone: counted, not audited (as a shed lookup)
            metrics.recordLookup(stale.label());
            return CompletableFuture.completedFuture(stale);
        }
        LookupResult found = checkWellFormed(id);
        boolean byNationalId = caller != null && caller.role() == Role.REGION;
        if (found == null) {
            found = byNationalId ? findByNationalId(id) : findStatus(id);
        }
        LookupResult result = found;
        boolean wellFormed =
                !(result instanceof LookupResult.Failed f && f.reason() == ErrorReason.MALFORMED_PERSON_ID);
        String subject = result instanceof LookupResult.Found hit ? hit.status().getPersonId() : wellFormed ? id : null;
        CompletableFuture<Void> durable;
        try {
            durable = audit.recordAsync(
                    auditRecord(caller, subject, result.label(), byNationalId ? "by national id" : null));
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        return durable.handle((ok, failure) -> {
            if (failure != null) {
                // fails closed: a lookup that cannot be audited is not answered (the person could never learn of
                // it); the sink has logged why
                if (!(unwrap(failure) instanceof AuditUnavailableException)) {
                    LOG.error("audit sink failed", failure);
                }
                metrics.recordLookup(ErrorReason.UNAVAILABLE.code());
                return NOT_AUDITED;
            }
            metrics.recordLookup(result.label());
            return result;
        });
    }

    /**
     * The lookups of a batch, answered together once their one audit record, naming every person looked up with
     * their own result, is durable: a batch costs one record, not one per id. Malformed ids are answered and
     * counted, not named (raw input is not recorded). The future never fails: when the view is stale every answer
     * says so, and when the record could not be made durable every answer is {@link ErrorReason#UNAVAILABLE}.
     */
    public CompletableFuture<List<LookupResult>> lookupBatchAsync(Caller caller, List<String> ids) {
        LookupResult stale = checkViewFresh();
        if (stale != null) {
            List<LookupResult> all = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                metrics.recordLookup(stale.label());
                all.add(stale);
            }
            return CompletableFuture.completedFuture(all);
        }
        boolean byNationalId = caller != null && caller.role() == Role.REGION;
        List<LookupResult> results = new ArrayList<>(ids.size());
        List<AuditRecord.BatchItem> items = new ArrayList<>(ids.size());
        for (String id : ids) {
            LookupResult found = checkWellFormed(id);
            if (found == null) {
                found = byNationalId ? findByNationalId(id) : findStatus(id);
                items.add(new AuditRecord.BatchItem(
                        found instanceof LookupResult.Found hit ? hit.status().getPersonId() : id, found.label()));
            }
            results.add(found);
        }
        String detail = "batch of " + ids.size() + (byNationalId ? ", by national id" : "");
        CompletableFuture<Void> durable;
        try {
            durable = audit.recordAsync(
                    anonymousIfNone(caller, AuditRecord.batch(clock.instant(), caller, items, detail)));
        } catch (RuntimeException e) {
            durable = CompletableFuture.failedFuture(e);
        }
        return durable.handle((ok, failure) -> {
            if (failure != null) {
                if (!(unwrap(failure) instanceof AuditUnavailableException)) {
                    LOG.error("audit sink failed", failure);
                }
                List<LookupResult> refused = new ArrayList<>(ids.size());
                for (int i = 0; i < ids.size(); i++) {
                    metrics.recordLookup(ErrorReason.UNAVAILABLE.code());
                    refused.add(NOT_AUDITED);
                }
                return refused;
            }
            for (LookupResult r : results) {
                metrics.recordLookup(r.label());
            }
            return results;
        });
    }

    private static final LookupResult NOT_AUDITED = new LookupResult.Failed(
            ErrorReason.UNAVAILABLE, "the lookup could not be audited, so it is not answered; retry shortly");

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * Counts a request that was refused before it reached the view (shed under load). Not audited: the refusal
     * decides and reveals nothing about anyone, and shedding must stay cheap (an audit record waits for the broker).
     */
    public void recordRefused(ErrorReason reason) {
        metrics.recordLookup(reason.code());
    }

    /**
     * Lookups are refused ({@link ErrorReason#VIEW_STALE}) while the view is older than {@code maxAgeMillis} (0:
     * never), so no answer comes silently from a view that stopped following its topic.
     */
    public void requireFreshView(LongSupplier ageMillis, long maxAgeMillis) {
        this.viewAgeMillis = ageMillis;
        this.maxViewAgeMillis = maxAgeMillis;
    }

    private LookupResult checkViewFresh() {
        long bound = maxViewAgeMillis;
        if (bound <= 0) {
            return null;
        }
        long age = viewAgeMillis.getAsLong();
        return age <= bound
                ? null
                : new LookupResult.Failed(
                        ErrorReason.VIEW_STALE,
                        "the status view has not caught " + "up with the status topic for " + age + " ms (bound "
                                + bound + " ms); retry shortly");
    }

    private static LookupResult checkWellFormed(String personId) {
        if (!PersonIds.isWellFormed(personId)) {
            return new LookupResult.Failed(
                    ErrorReason.MALFORMED_PERSON_ID, "a person id is 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (PersonIds.looksLikeRawIdentity(personId)) {
            return new LookupResult.Failed(ErrorReason.MALFORMED_PERSON_ID, PersonIds.RAW_IDENTITY);
        }
        return null;
    }

    private LookupResult findStatus(String personId) {
        return find(() -> view.get(personId));
    }

    private LookupResult findByNationalId(String nationalId) {
        return find(() -> view.getByNationalId(nationalId));
    }

    /** The view query of a lookup, by person id or by national pseudonym. */
    @FunctionalInterface
    private interface ViewQuery {
        Optional<StatusRecord> run() throws Exception;
    }

    /** Runs one view query and maps its outcome to a lookup result: one place for both kinds of id. */
    private static LookupResult find(ViewQuery query) {
        try {
            Optional<StatusRecord> status = query.run();
            if (status.isEmpty()) {
                return new LookupResult.Failed(ErrorReason.UNKNOWN_PERSON, "no status is known for this person");
            }
            return new LookupResult.Found(status.get());
        } catch (StatusView.ViewClosedException e) {
            return new LookupResult.Failed(ErrorReason.UNAVAILABLE, "the status view is not open; retry shortly");
        } catch (Exception e) {
            LOG.error("lookup failed", e);
            return new LookupResult.Failed(ErrorReason.INTERNAL, "the lookup failed; see the service log");
        }
    }

    private AuditRecord auditRecord(Caller caller, String subject, String result, String detail) {
        return anonymousIfNone(
                caller, AuditRecord.of(clock.instant(), caller, AuditRecord.LOOKUP, subject, result, detail));
    }

    /** A lookup without a caller (no access control) is audited as {@value LookupAudit#ANONYMOUS}. */
    private static AuditRecord anonymousIfNone(Caller caller, AuditRecord r) {
        return caller != null
                ? r
                : new AuditRecord(
                        r.at(),
                        LookupAudit.ANONYMOUS,
                        null,
                        null,
                        r.action(),
                        r.subject(),
                        r.result(),
                        r.detail(),
                        r.batch());
    }
}
