package org.healthcode.risk.functions;

import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.state.PersonState;

/**
 * The person's national pseudonym after one input: an identity binding that carries one sets it, and so does a
 * risk_person record (it reached this person by that very pseudonym); nothing else.
 */
final class NationalIds {
    private NationalIds() {}

    static String learned(PersonState s, PersonInput in) {
        if (teaches(in)) {
            return in.event().nationalId();
        }
        return s.nationalId();
    }

    /** True when {@code in} sets the person's national pseudonym. */
    static boolean teaches(PersonInput in) {
        return in.event() != null
                && in.event().nationalId() != null
                && (in.event().type() == EventType.IDENTITY || in.event().type() == EventType.RISK_PERSON);
    }
}
