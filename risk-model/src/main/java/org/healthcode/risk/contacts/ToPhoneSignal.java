package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;

/**
 * Keeps the events the phone side needs (carrier pings with a position, identity bindings with a phone) and projects
 * them to {@link PhoneSignal}s, the ping's cell computed here, before the shuffle by phone.
 */
public class ToPhoneSignal implements FlatMapFunction<Event, PhoneSignal> {

    private final GridProjection grid;

    public ToPhoneSignal(ContactRules rules) {
        this.grid = GridProjection.of(rules.validated());
    }

    @Override
    public void flatMap(Event e, Collector<PhoneSignal> out) {
        PhoneSignal s = PhoneSignal.of(e, grid);
        if (s != null) {
            out.collect(s);
        }
    }
}
