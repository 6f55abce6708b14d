package org.healthcode.risk.crossregion;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/**
 * Keyed by national pseudonym: turns the {@code risk_person} records other regions push into events about this
 * region's person, through the identity binding that carries the same national pseudonym. A record that arrives
 * before the binding waits for it.
 *
 * <p>Both pseudonyms are HMACs of one ID number, so a national pseudonym names at most one person here and a
 * binding never changes. State end of life: {@code person} stays for as long as the region knows the person (one
 * short string per bound person, like the phone bindings of {@code CityStayOwner}); {@code waiting} empties when
 * the binding arrives, or record by record at each record's expiry (an event-time timer), and a withdrawal (green)
 * removes its region's waiting records at once.
 */
public class NationalIdMatcher extends KeyedProcessFunction<String, Event, Event> {
    private transient ValueState<String> person;
    private transient ListState<Event> waiting;

    @Override
    public void open(OpenContext openContext) {
        person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", Types.STRING));
        waiting =
                getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", TypeInformation.of(Event.class)));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        if (e.type() == EventType.IDENTITY) {
            if (person.value() == null) {
                person.update(e.personId());
                for (Event w : waiting.get()) {
                    out.collect(forPerson(w, e.personId()));
                }
                waiting.clear();
            }
            return;
        }
        String p = person.value();
        if (p != null) {
            out.collect(forPerson(e, p));
            return;
        }
        List<Event> keep = new ArrayList<>();
        for (Event w : waiting.get()) {
            if (!w.region().equals(e.region())) {
                keep.add(w); // the issuing region's latest record replaces its earlier one
            }
        }
        if (!"green".equals(e.colour())) {
            keep.add(e);
            ctx.timerService().registerEventTimeTimer(e.expiry());
        }
        waiting.update(keep);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        List<Event> keep = new ArrayList<>();
        for (Event w : waiting.get()) {
            if (w.expiry() > timestamp) {
                keep.add(w);
            }
        }
        waiting.update(keep); // an empty list clears the entry
    }

    private static Event forPerson(Event riskPerson, String personId) {
        return riskPerson.toBuilder().personId(personId).build();
    }
}
