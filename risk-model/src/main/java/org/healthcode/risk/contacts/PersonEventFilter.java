package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.FilterFunction;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/** Keeps the person events contact detection needs: case evidence, venue scans and trips. */
public class PersonEventFilter implements FilterFunction<Event> {

    @Override
    public boolean filter(Event e) {
        if (e.personId() == null) {
            return false;
        }
        return e.type() == EventType.SCAN || e.type() == EventType.TRIP || CaseDetection.isCaseEvidence(e);
    }
}
