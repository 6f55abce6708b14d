package org.healthcode.risk.contacts;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * A case's copies of its activities held in one key's map state (its visits at a place, its trips in a vehicle), keyed
 * {@code <case id>|<event id>}: how the latest copy of the case rewrites them. The latest copy carries the case as it
 * is now for all of its activities there; an activity outside the case's new window leaves.
 *
 * @param before the case's entries as held
 * @param after what they become
 */
record CaseCopies(Map<String, PersonActivity> before, Map<String, PersonActivity> after) {

    /** The case's entries in {@code held}, and what {@code copy} makes of them. */
    static CaseCopies rewrite(MapState<String, PersonActivity> held, PersonActivity copy) throws Exception {
        String caseId = copy.personId();
        Map<String, PersonActivity> before = new HashMap<>();
        for (Map.Entry<String, PersonActivity> en : held.entries()) {
            if (en.getValue().personId().equals(caseId)) {
                before.put(en.getKey(), en.getValue());
            }
        }
        Map<String, PersonActivity> after = new HashMap<>();
        for (Map.Entry<String, PersonActivity> en : before.entrySet()) {
            PersonActivity now = en.getValue().withCaseOf(copy);
            if (now.insideCaseWindow()) {
                after.put(en.getKey(), now);
            }
        }
        String key = caseId + "|" + copy.eventId();
        if (copy.insideCaseWindow()) {
            after.put(key, copy);
        } else {
            after.remove(key);
        }
        return new CaseCopies(before, after);
    }

    /** Whether the copy changes nothing held. */
    boolean unchanged() {
        return after.equals(before);
    }

    /** Removes from {@code held} the entries that leave. */
    void removeLeaving(MapState<String, PersonActivity> held) throws Exception {
        for (String k : before.keySet()) {
            if (!after.containsKey(k)) {
                held.remove(k);
            }
        }
    }
}
