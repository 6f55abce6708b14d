package org.healthcode.risk.crossregion;

import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;

/** Keeps the events that name a person nationally: identity bindings with a national pseudonym, risk_person records. */
public class HasNationalId implements FilterFunction<Event> {
    @Override
    public boolean filter(Event e) {
        return e.nationalId() != null && !e.nationalId().isEmpty();
    }
}
