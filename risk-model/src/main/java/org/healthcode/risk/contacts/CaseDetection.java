package org.healthcode.risk.contacts;

import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/**
 * Turns a person's health events into their {@link CaseFound} state, whatever order the events arrive in: a pure
 * function folded by {@link PersonContactIndex}.
 */
public final class CaseDetection {

    private CaseDetection() {}

    /** True for the events that can make or refine a case. */
    public static boolean isCaseEvidence(Event e) {
        if (e.type() == EventType.TEST_RESULT) {
            return e.isPositive() && !e.isPooled();
        }
        return e.type() == EventType.DIAGNOSIS
                && (e.diagnosis() == DiagnosisStatus.CONFIRMED || e.diagnosis() == DiagnosisStatus.ASYMPTOMATIC);
    }

    /**
     * The case state after {@code e}: unchanged (the same instance) when {@code e} adds nothing, so callers can test
     * with {@code ==} whether to re-route the case.
     */
    public static CaseFound update(CaseFound current, Event e) {
        if (!isCaseEvidence(e)) {
            return current;
        }
        long found = e.time();
        Long onset = e.type() == EventType.DIAGNOSIS ? e.onset() : null;
        Long positiveSample = e.type() == EventType.TEST_RESULT ? e.time() : null;
        if (current == null) {
            return new CaseFound(e.personId(), found, onset, positiveSample, e.eventId());
        }
        boolean earlier = found < current.foundTime()
                || (found == current.foundTime() && e.eventId().compareTo(current.causeEventId()) < 0);
        CaseFound next = new CaseFound(
                current.personId(),
                Math.min(found, current.foundTime()),
                minNullable(current.onset(), onset),
                minNullable(current.firstPositiveSample(), positiveSample),
                earlier ? e.eventId() : current.causeEventId());
        return next.equals(current) ? current : next;
    }

    private static Long minNullable(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.min(a, b);
    }
}
