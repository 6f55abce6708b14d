package org.healthcode.interop.codes;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.dcc.DccVerifier;
import org.healthcode.codes.issue.CodePrefix;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.Verdict;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Scan;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.security.Caller;

/**
 * Verifies scanned codes against this region's trust list and the other regions' from the national list (and EU DCCs
 * against the configured signer
 * certificates), audits every verification, and turns a checkpoint's scan of a valid own-region code into a venue
 * {@code scan} event. Invalid codes never become events: an unverified subject is not evidence of a visit.
 */
public final class CodeVerifyService {
    private final RegionCodes codes;
    private final RegionTrust trust;
    private final Optional<DccVerifier> dcc;
    private final ScanFeedback scans;
    private final AuditSink audit;
    private final Clock clock;

    public CodeVerifyService(
            RegionCodes codes,
            RegionTrust trust,
            Optional<DccVerifier> dcc,
            ScanFeedback scans,
            AuditSink audit,
            Clock clock) {
        this.codes = codes;
        this.trust = trust;
        this.dcc = dcc;
        this.scans = scans;
        this.audit = audit;
        this.clock = clock;
    }

    /** Verifies {@code text} now; {@code scan} is where a checkpoint scanned it, if one did. */
    public VerifyOutcome verify(String text, Optional<CheckpointScan> scan, Caller caller) {
        Instant now = clock.instant();
        CodeVerifier verifier = new CodeVerifier(
                trust.verificationStore(), codes.crypto(), codes.config().clockSkew(), dcc);
        Verdict verdict = verifier.verify(text, now);
        Optional<String> subject = ownRegionSubject(verdict);
        Optional<String> eventId = Optional.empty();
        if (scan.isPresent() && subject.isPresent() && scans.enabled()) {
            Event event = scanEvent(scan.get(), subject.get(), now);
            scans.send(event);
            eventId = Optional.of(event.getEventId());
        }
        audit.record(AuditRecord.of(
                now,
                caller,
                AuditRecord.VERIFY,
                subject.orElse(null),
                verdict.result().wire(),
                auditDetail(verdict, scan, eventId)));
        return new VerifyOutcome(verdict, eventId);
    }

    /** The finer reason of a failure, and the checkpoint and scan event when there were any. */
    private static String auditDetail(Verdict verdict, Optional<CheckpointScan> scan, Optional<String> eventId) {
        StringBuilder d = new StringBuilder();
        verdict.reason().ifPresent(r -> d.append("reason=").append(r.code()));
        scan.ifPresent(
                s -> d.append(d.length() > 0 ? " " : "").append("checkpoint=").append(s.checkpointId()));
        eventId.ifPresent(id -> d.append(" scan_event=").append(id));
        return d.length() == 0 ? null : d.toString();
    }

    /**
     * The pseudonym of a valid code issued by this region, opened from the code's sealed subject; empty for anything
     * else (DCCs, failures, other regions' codes, whose subjects only they can open).
     */
    private Optional<String> ownRegionSubject(Verdict verdict) {
        if (!verdict.isValid()
                || !(CodePrefix.NAME + CodePrefix.VERSION).equals(verdict.format())
                || verdict.payload().isEmpty()
                || verdict.subject().isEmpty()) {
            return Optional.empty();
        }
        String iss = verdict.payload().get().path("iss").asText();
        return iss.equals(codes.config().region())
                ? codes.resolveSubject(verdict.subject().get())
                : Optional.empty();
    }

    private Event scanEvent(CheckpointScan scan, String personId, Instant now) {
        return Event.newBuilder()
                .setFeed(Feed.VENUE.wireName())
                .setType("scan")
                .setEventId("checkpoint-" + scan.checkpointId() + "-" + UUID.randomUUID())
                .setTime(IsoTimes.format(now.toEpochMilli()))
                .setRegion(codes.config().region())
                .setPersonId(personId)
                .setScan(Scan.newBuilder()
                        .setVenueId(scan.checkpointId())
                        .setAreaCode(scan.areaCode())
                        .setDirection(scan.direction()))
                .build();
    }
}
