package org.healthcode.risk.events;

import java.util.List;

/**
 * A person's status after a change: what the job emits to the {@code status} topic (as a StatusRecord).
 *
 * @param personId the person's pseudonym
 * @param colour green, yellow or red: the most severe active condition
 * @param sinceMs since when the person has had this colour (event time)
 * @param conditions the active conditions, most severe first
 * @param ruleVersion version of the rule set that decided it
 * @param seq per-person sequence number, +1 per change
 * @param effectiveMs event time at which this status took effect
 * @param nationalId the person's national pseudonym, null when this region has no identity binding with it
 * @param epoch the job state lineage that decided it (see {@code PersonRiskFunction}); a person's statuses are
 *     ordered by (epoch, seq)
 */
public record StatusChange(
        String personId,
        String colour,
        long sinceMs,
        List<ConditionView> conditions,
        String ruleVersion,
        long seq,
        long effectiveMs,
        String nationalId,
        long epoch) {

    public StatusChange {
        conditions = List.copyOf(conditions);
    }

    public StatusChange(
            String personId,
            String colour,
            long sinceMs,
            List<ConditionView> conditions,
            String ruleVersion,
            long seq,
            long effectiveMs,
            String nationalId) {
        this(personId, colour, sinceMs, conditions, ruleVersion, seq, effectiveMs, nationalId, 0);
    }

    public StatusChange(
            String personId,
            String colour,
            long sinceMs,
            List<ConditionView> conditions,
            String ruleVersion,
            long seq,
            long effectiveMs) {
        this(personId, colour, sinceMs, conditions, ruleVersion, seq, effectiveMs, null);
    }
}
