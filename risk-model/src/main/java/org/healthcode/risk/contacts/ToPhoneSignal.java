package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;

/**
 * Keeps the events of one input of the phone side (carrier pings with a position, or identity bindings with a phone)
 * and projects them to {@link PhoneSignal}s, the ping's cell computed here, before the shuffle by phone.
 */
public class ToPhoneSignal implements FlatMapFunction<Event, PhoneSignal> {

    private final GridProjection grid;
    private final boolean bindings;

    private ToPhoneSignal(ContactRules rules, boolean bindings) {
        this.grid = GridProjection.of(rules.validated());
        this.bindings = bindings;
    }

    /** The pings (input 1 of {@link PhoneStayBuilder}). */
    public static ToPhoneSignal pings(ContactRules rules) {
        return new ToPhoneSignal(rules, false);
    }

    /** The identity bindings (input 2 of {@link PhoneStayBuilder}). */
    public static ToPhoneSignal bindings(ContactRules rules) {
        return new ToPhoneSignal(rules, true);
    }

    @Override
    public void flatMap(Event e, Collector<PhoneSignal> out) {
        PhoneSignal s = PhoneSignal.of(e, grid);
        if (s != null && s.binding() == bindings) {
            out.collect(s);
        }
    }
}
