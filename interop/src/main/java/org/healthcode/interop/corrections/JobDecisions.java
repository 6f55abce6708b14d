package org.healthcode.interop.corrections;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.healthcode.contracts.audit.OverrideOutcome;
import org.healthcode.interop.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the risk job's decisions on proposed corrections into the requests ({@link CorrectionsService#applyJobDecision}).
 * The decisions are the job's records on the {@code audit} topic, which this process indexes already by person
 * ({@link AuditLog}, committed records only): while some request waits for a decision, every {@link #PASS} it reads
 * the records about each waiting request's person stamped since the request was filed (the job stamps its record with
 * the override event's time, later than the filing) and applies the job's decisions on that request, oldest first. A
 * decision applied already changes nothing, so a restarted process, or a write to the corrections topic that failed,
 * catches up at the next pass.
 */
final class JobDecisions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobDecisions.class);
    static final Duration PASS = Duration.ofMillis(500);

    private final AuditLog audit;
    private final CorrectionsService service;
    private final Thread thread;
    private volatile boolean running = true;

    JobDecisions(AuditLog audit, CorrectionsService service) {
        this.audit = audit;
        this.service = service;
        this.thread = new Thread(this::run, "correction-decisions");
        thread.setDaemon(true);
    }

    JobDecisions start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                for (Correction waiting : service.undecidedOverrides()) {
                    apply(waiting);
                }
                Thread.sleep(PASS.toMillis());
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | CorrectionRefused e) {
                LOG.warn("applying the job's override decisions failed ({}); retrying", e.toString());
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
    }

    /** Applies the job's decisions on {@code waiting}'s override found in the audit index so far. */
    void apply(Correction waiting) throws CorrectionRefused {
        List<byte[]> records = audit.recordsAboutSince(waiting.personId(), waiting.filedAt());
        for (byte[] r : records) {
            Optional<OverrideOutcome> o;
            try {
                o = OverrideOutcome.read(r);
            } catch (IOException e) {
                continue; // indexed records parse; a damaged one is the audit log's to report
            }
            if (o.isEmpty() || !o.get().requestId().equals(waiting.overrideRequestId())) {
                continue;
            }
            Optional<Correction> changed = service.applyJobDecision(o.get());
            if (changed.isPresent()) {
                Correction c = changed.get();
                LOG.info(
                        "correction {} {} after the job's {} {} of {}",
                        c.id(),
                        c.state() == Correction.State.CORRECTED ? "corrected" : "refused",
                        o.get().action(),
                        o.get().result(),
                        o.get().requestId());
                if (!c.overrideUndecided()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
