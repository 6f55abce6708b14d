package org.healthcode.risk.sinks;

import java.util.List;
import org.healthcode.contracts.declarations.DeclarationIds;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.risk.events.AreaStay;
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
                    .setEndsWith(c.endsWith())
                    .setDeclared(declared(c.cause())));
        }
        return b.build();
    }

    /**
     * True when every cause is one of the person's declarations: the declaration itself, or a stay in a risk area
     * found from a declared itinerary ({@code area-} + the declaration's event id + {@code /} + the listing's).
     */
    static boolean declared(List<String> cause) {
        if (cause.isEmpty()) {
            return false;
        }
        for (String id : cause) {
            String stay = id.startsWith(AreaStay.ID_PREFIX) ? id.substring(AreaStay.ID_PREFIX.length()) : id;
            if (!DeclarationIds.isDeclaration(stay)) {
                return false;
            }
        }
        return true;
    }
}
