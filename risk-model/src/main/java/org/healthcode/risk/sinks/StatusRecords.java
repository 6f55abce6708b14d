package org.healthcode.risk.sinks;

import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.StatusChange;

/** Converts the job's status changes to the Protobuf StatusRecord of the {@code status} topic. */
public final class StatusRecords {
    private StatusRecords() {}

    public static StatusRecord toProto(StatusChange s) {
        StatusRecord.Builder b = StatusRecord.newBuilder()
                .setPersonId(s.personId())
                .setColour(s.colour())
                .setSinceMs(s.sinceMs())
                .setRuleVersion(s.ruleVersion())
                .setSeq(s.seq())
                .setEffectiveMs(s.effectiveMs())
                .setEpoch(s.epoch());
        if (s.nationalId() != null) {
            b.setNationalId(s.nationalId());
        }
        for (ConditionView c : s.conditions()) {
            b.addConditions(ConditionRecord.newBuilder()
                    .setReason(c.reason())
                    .addAllCause(c.cause())
                    .setStartMs(c.startMs())
                    .setColour(c.colour())
                    .setPhaseEndMs(c.phaseEndMs())
                    .setEndsWith(c.endsWith()));
        }
        return b.build();
    }
}
