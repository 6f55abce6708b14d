package org.healthcode.risk.state;

import java.util.List;

/**
 * The keyed state of one person in {@code PersonRiskFunction}: the active conditions and what was last emitted.
 *
 * <p>End of life: when no condition is active this shrinks to {@code seq}/{@code colour}/{@code since} only, kept
 * so that the next status of the person continues the sequence the {@code status} topic's readers rely on.
 * A person who never had a condition has no state at all.
 *
 * @param conditions active conditions, in start order
 * @param seq sequence number of the last emitted status (0 = none emitted yet)
 * @param colour colour of the last emitted status (wire name)
 * @param sinceMs since when the person has had that colour
 * @param fingerprint hash of the last emitted status content, to emit only on change
 * @param nationalId the person's national pseudonym from their identity binding, null until known; kept even with
 *     no condition (so a later status can name the person to other regions): one small entry per bound person
 */
public record PersonState(
        List<ConditionState> conditions, long seq, String colour, long sinceMs, long fingerprint, String nationalId) {

    public PersonState {
        conditions = List.copyOf(conditions);
    }

    public PersonState(List<ConditionState> conditions, long seq, String colour, long sinceMs, long fingerprint) {
        this(conditions, seq, colour, sinceMs, fingerprint, null);
    }

    public static PersonState initial() {
        return new PersonState(List.of(), 0, "green", Long.MIN_VALUE, 0);
    }

    public PersonState withConditions(List<ConditionState> c) {
        return new PersonState(c, seq, colour, sinceMs, fingerprint, nationalId);
    }

    public PersonState withNationalId(String id) {
        return new PersonState(conditions, seq, colour, sinceMs, fingerprint, id);
    }

    /** Nothing worth keeping: no status emitted, no condition, no national pseudonym. */
    public boolean isEmpty() {
        return seq == 0 && conditions.isEmpty() && nationalId == null;
    }
}
