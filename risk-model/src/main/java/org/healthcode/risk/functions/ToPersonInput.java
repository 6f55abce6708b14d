package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.Exposure;
import org.healthcode.risk.events.PersonInput;

/** Wraps feed events and exposures into the one input type of the per-person risk state. */
public final class ToPersonInput {
    private ToPersonInput() {}

    /** A feed event about a person. */
    public static class FromEvent implements MapFunction<Event, PersonInput> {
        @Override
        public PersonInput map(Event e) {
            return PersonInput.of(e);
        }
    }

    /** An exposure found by contact detection. */
    public static class FromExposure implements MapFunction<Exposure, PersonInput> {
        @Override
        public PersonInput map(Exposure x) {
            return PersonInput.of(x);
        }
    }
}
