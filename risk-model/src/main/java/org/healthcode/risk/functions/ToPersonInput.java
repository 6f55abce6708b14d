package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.MapFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.Exposure;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.PersonInput;

/** Wraps feed events, exposures and override decisions into the one input type of the per-person risk state. */
public final class ToPersonInput {
    private ToPersonInput() {}

    /** A feed event about a person. */
    public static class FromEvent implements MapFunction<Event, PersonInput> {
        @Override
        public PersonInput map(Event e) {
            return PersonInput.of(e);
        }
    }

    /** A reviewed override taking effect or ending. */
    public static class FromOverride implements MapFunction<OverrideDecision, PersonInput> {
        @Override
        public PersonInput map(OverrideDecision o) {
            return PersonInput.of(o);
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
