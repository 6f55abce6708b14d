package org.healthcode.risk.functions;

import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.PersonState;

/** The person's national pseudonym after one input: an identity binding that carries one sets it, nothing else. */
final class NationalIds {
    private NationalIds() {}

    static String learned(PersonState s, PersonInput in) {
        if (in.event() != null && in.event().nationalId() != null
                && in.event().type() == org.healthcode.ingest.events.EventType.IDENTITY) {
            return in.event().nationalId();
        }
        return s.nationalId();
    }
}
