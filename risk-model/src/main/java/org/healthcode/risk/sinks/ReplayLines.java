package org.healthcode.risk.sinks;

import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.contracts.status.StatusJson;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.decode.RejectedRecords;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.PublishedRecord;
import org.healthcode.risk.events.StatusChange;

/** Renders the workflow's outputs as replay file lines (rendering runs in the job, in parallel). */
public final class ReplayLines {
    private ReplayLines() {}

    /** A status change as its changelog line: the full status JSON of the {@code status} topic, with its effective time. */
    public static class OfChange implements MapFunction<StatusChange, ReplayLine> {
        @Override
        public ReplayLine map(StatusChange s) {
            return new ReplayLine(
                    ReplayLine.CHANGE,
                    s.personId(),
                    s.effectiveMs(),
                    s.seq(),
                    -1,
                    StatusJson.toLine(StatusJson.full(StatusRecords.toProto(s))));
        }
    }

    /** A rejected line as ingest's rejected-line JSON (line number, category, field, reason, the line). */
    public static class OfRejected implements MapFunction<Rejected, ReplayLine> {
        @Override
        public ReplayLine map(Rejected r) {
            return new ReplayLine(ReplayLine.REJECTED, null, 0, 0, r.line(), RejectedRecords.toJsonLine(r));
        }
    }

    /** An override audit record as its {@code audit.jsonl} line. */
    public static class OfAudit implements MapFunction<AuditRecord, ReplayLine> {
        @Override
        public ReplayLine map(AuditRecord a) {
            return new ReplayLine(ReplayLine.AUDIT, a.personId(), a.timeMs(), 0, -1, AuditJson.toLine(a));
        }
    }

    /** A vehicle's case record (or its tombstone: no JSON), keyed by the vehicle id. */
    public static class OfVehicleCases implements MapFunction<PublishedRecord, ReplayLine> {
        @Override
        public ReplayLine map(PublishedRecord r) {
            return new ReplayLine(ReplayLine.VEHICLE_CASES, r.key(), 0, 0, -1, r.json());
        }
    }

    /** The latest event time of the input. */
    public static class OfLatestEventTime implements MapFunction<Long, ReplayLine> {
        @Override
        public ReplayLine map(Long t) {
            return new ReplayLine(ReplayLine.LATEST_EVENT_TIME, null, t, 0, -1, null);
        }
    }
}
