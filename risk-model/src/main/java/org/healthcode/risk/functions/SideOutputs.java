package org.healthcode.risk.functions;

import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.AuditRecord;

/** The job's side-output tags, in one place so operators and the wiring share the same instances. */
public final class SideOutputs {
    /** Records that did not make it into the job: undecodable, invalid, or later than the allowed lateness. */
    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected") {};

    /** Override requests, approvals, refusals and withdrawals with their outcome. */
    public static final OutputTag<AuditRecord> AUDIT = new OutputTag<>("audit") {};

    private SideOutputs() {}
}
