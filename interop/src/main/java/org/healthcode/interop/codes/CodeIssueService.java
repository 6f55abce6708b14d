package org.healthcode.interop.codes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.issue.Colour;
import org.healthcode.codes.issue.IssuedCode;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.http.ErrorReason;
import org.healthcode.interop.http.PersonIds;
import org.healthcode.interop.security.Caller;
import org.healthcode.interop.store.StatusView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues a person's code for their current status in the view, each check a named method with a typed failure.
 *
 * <p>Codes are cached per person and keyed on the status {@code seq}: the same code is handed out again while it
 * has more than the refresh margin left and the status has not changed; a new status (higher seq) or a code near
 * its expiry gets a new code. Re-use keeps signing load to about one signature per person per code lifetime however
 * often a phone asks, and makes repeated requests return the same QR (no flicker on the page).
 */
public final class CodeIssueService {
    private static final Logger LOG = LoggerFactory.getLogger(CodeIssueService.class);
    /** The same rule as status lookups: pseudonyms and test ids, short, URL-safe. */
    static final Pattern PERSON_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A code handed out has at least this much (or a quarter of its lifetime, if less) left. */
    static final Duration MAX_REFRESH_MARGIN = Duration.ofSeconds(60);
    /** The audit action of a code request; results {@code issued}, {@code reused} or an error code. */
    public static final String AUDIT_ACTION = "code_issue";

    private record Cached(long epoch, long seq, IssuedCode code) {}

    private final StatusView view;
    private final RegionCodes codes;
    private final AuditSink audit;
    private final Clock clock;
    private final int maxCached;
    private final Duration refreshMargin;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public CodeIssueService(StatusView view, RegionCodes codes, AuditSink audit, Clock clock, int maxCached) {
        this.view = view;
        this.codes = codes;
        this.audit = audit;
        this.clock = clock;
        this.maxCached = maxCached;
        Duration quarter = codes.config().codeLifetime().dividedBy(4);
        this.refreshMargin = quarter.compareTo(MAX_REFRESH_MARGIN) < 0 ? quarter : MAX_REFRESH_MARGIN;
    }

    /** The current code of {@code personId}, asked for by {@code caller} (null: not authenticated). */
    public CodeResult codeFor(String personId, Caller caller) {
        Instant now = clock.instant();
        CodeResult result = checkWellFormed(personId);
        if (result == null) {
            result = issueForStatus(personId, now);
        }
        String label = result instanceof CodeResult.Issued i
                ? (i.reused() ? "reused" : "issued")
                : ((CodeResult.Failed) result).reason().code();
        boolean wellFormed = !(result instanceof CodeResult.Failed f && f.reason() == ErrorReason.MALFORMED_PERSON_ID);
        audit.record(AuditRecord.of(now, caller, AUDIT_ACTION, wellFormed ? personId : null, label, null));
        return result;
    }

    private static CodeResult checkWellFormed(String personId) {
        if (personId == null || !PERSON_ID.matcher(personId).matches()) {
            return new CodeResult.Failed(
                    ErrorReason.MALFORMED_PERSON_ID, "a person id is 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (PersonIds.looksLikeRawIdentity(personId)) {
            return new CodeResult.Failed(ErrorReason.MALFORMED_PERSON_ID, PersonIds.RAW_IDENTITY);
        }
        return null;
    }

    private CodeResult issueForStatus(String personId, Instant now) {
        Optional<StatusRecord> status;
        try {
            status = view.get(personId);
        } catch (StatusView.ViewClosedException e) {
            return new CodeResult.Failed(ErrorReason.UNAVAILABLE, "the status view is not open; retry shortly");
        } catch (Exception e) {
            LOG.error("status read for a code failed", e);
            return new CodeResult.Failed(ErrorReason.INTERNAL, "the status could not be read; see the service log");
        }
        if (status.isEmpty()) {
            return new CodeResult.Failed(ErrorReason.UNKNOWN_PERSON, "no status is known for this person");
        }
        StatusRecord s = status.get();
        Colour colour;
        try {
            colour = Colour.parse(s.getColour());
        } catch (IllegalArgumentException e) {
            LOG.error("status of a person has colour '{}', which no code can carry", s.getColour());
            return new CodeResult.Failed(ErrorReason.INTERNAL, "the status has no code colour; see the service log");
        }
        Cached cached = cache.get(personId);
        if (cached != null
                && cached.epoch() == s.getEpoch()
                && cached.seq() == s.getSeq()
                && now.isBefore(refreshAt(cached.code()))) {
            return new CodeResult.Issued(cached.code(), refreshAt(cached.code()), true);
        }
        IssuedCode code = codes.issue(personId, colour, Instant.ofEpochMilli(s.getSinceMs()), now);
        if (cache.size() >= maxCached) {
            evict(now);
        }
        cache.put(personId, new Cached(s.getEpoch(), s.getSeq(), code));
        return new CodeResult.Issued(code, refreshAt(code), false);
    }

    private Instant refreshAt(IssuedCode code) {
        return code.claims().expiresAt().minus(refreshMargin);
    }

    /** Drops codes due for refresh; if that is not enough, everything (they are re-issued on demand). */
    private void evict(Instant now) {
        cache.values().removeIf(c -> !now.isBefore(refreshAt(c.code())));
        if (cache.size() >= maxCached) {
            cache.clear();
        }
    }

    /** Persons with a cached code (for tests and metrics). */
    public int cachedCodes() {
        return cache.size();
    }
}
