package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/**
 * Keyed by phone (pseudonym): gives each carrier {@code city_stay} the person the phone was bound to as of the stay
 * (the latest identity binding at or before the stay's start, else at or before its end), so that the stay can be
 * matched against the risk-area list like a hotel or trip stay. Stays wait until the watermark passes their time,
 * so a binding that arrives after the stay, but is older than it, still counts (results follow event time).
 *
 * <p>A stay of a phone nobody is bound to is dropped (there is no one to colour). State end of life: {@code pending}
 * entries leave when their timer fires; {@code bindings} keeps the phone's latest {@link #MAX_BINDINGS} identity
 * bindings for as long as it is bound.
 */
public class CityStayOwner extends KeyedProcessFunction<String, Event, Event> {
    static final int MAX_BINDINGS = 3;

    private transient BindingHistory bindings;
    private transient EventTimeBuffer<Event> pending;

    @Override
    public void open(OpenContext openContext) {
        bindings = BindingHistory.open(getRuntimeContext(), MAX_BINDINGS);
        pending =
                EventTimeBuffer.open(getRuntimeContext(), TypeInformation.of(Event.class), Event::eventId, Event::time);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        if (e.type() == EventType.IDENTITY) {
            bindings.add(e);
        } else if (e.type() == EventType.CITY_STAY) {
            if (!pending.holdIfAhead(e, ctx.timerService())) {
                resolve(e, out); // behind the watermark, within the allowed lateness
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        for (Event e : pending.takeDue(timestamp)) {
            resolve(e, out);
        }
    }

    private void resolve(Event stay, Collector<Event> out) throws Exception {
        String person = ownerAt(stay.from() != null ? stay.from() : stay.time());
        if (person == null && stay.to() != null) {
            person = ownerAt(stay.to());
        }
        if (person != null) {
            out.collect(stay.toBuilder().personId(person).build());
        }
    }

    private String ownerAt(long t) throws Exception {
        BindingHistory.Binding binding = bindings.at(t);
        return binding == null ? null : binding.personId();
    }
}
