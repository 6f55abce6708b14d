package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.risk.events.ConditionState;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.PersonState;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.Assessment;
import org.healthcode.risk.rules.RiskEngine;
import org.healthcode.risk.rules.RuleSet;

/**
 * Keyed by person: keeps the person's conditions and emits a {@link StatusChange} whenever what the status shows
 * changes, from the person's feed events and the exposures contact detection found. Results follow event time, never arrival order: events are buffered until the watermark passes them
 * and then applied in (time, id) order by an event-time timer; phase ends are event-time timers too.
 *
 * <p>An event that arrives already behind the watermark (but within the allowed lateness, checked upstream) is
 * applied at once with its own time as the anchor of whatever it starts or ends; its status takes effect at the
 * watermark. State end of life: {@code pending} entries leave when applied; {@code person} shrinks to the sequence
 * number once no condition is active (see {@link PersonState}); stale timers fire once and do nothing.
 */
public class PersonRiskFunction extends KeyedProcessFunction<String, PersonInput, StatusChange> {
    private final RuleSet rules;

    private transient RiskEngine engine;
    private transient ValueState<PersonState> person;
    private transient MapState<String, PersonInput> pending;

    public PersonRiskFunction(RuleSet rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        engine = new RiskEngine(rules);
        person = getRuntimeContext().getState(
                new ValueStateDescriptor<>("person", TypeInformation.of(PersonState.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", TypeInformation.of(String.class), TypeInformation.of(PersonInput.class)));
    }

    @Override
    public void processElement(PersonInput e, Context ctx, Collector<StatusChange> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (e.time() > watermark) {
            pending.put(e.id(), e);
            ctx.timerService().registerEventTimeTimer(e.time());
            return;
        }
        PersonState s = load();
        List<ConditionState> conds = engine.apply(s.conditions(), e);
        conds = engine.advance(conds, watermark);
        finish(s, conds, watermark, ctx.getCurrentKey(), ctx.timerService(), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StatusChange> out) throws Exception {
        List<PersonInput> due = new ArrayList<>();
        Iterator<Map.Entry<String, PersonInput>> it = pending.iterator();
        while (it.hasNext()) {
            Map.Entry<String, PersonInput> entry = it.next();
            if (entry.getValue().time() <= timestamp) {
                due.add(entry.getValue());
                it.remove();
            }
        }
        if (!due.isEmpty() && pending.isEmpty()) {
            pending.clear(); // an empty map is still an entry on the heap backend
        }
        PersonState stored = person.value();
        if (stored == null && due.isEmpty()) {
            return; // a timer left over from a condition that is gone
        }
        PersonState s = stored == null ? PersonState.initial() : stored;
        due.sort(Comparator.comparingLong(PersonInput::time).thenComparing(PersonInput::id));
        // phase ends at this instant come first, then the events of this instant in eventId order
        List<ConditionState> conds = engine.advance(s.conditions(), timestamp);
        for (PersonInput e : due) {
            conds = engine.apply(conds, e);
        }
        conds = engine.advance(conds, timestamp);
        finish(s, conds, timestamp, ctx.getCurrentKey(), ctx.timerService(), out);
    }

    private PersonState load() throws Exception {
        PersonState s = person.value();
        return s == null ? PersonState.initial() : s;
    }

    private void finish(PersonState s, List<ConditionState> conds, long now, String personId,
                        org.apache.flink.streaming.api.TimerService timers, Collector<StatusChange> out)
            throws Exception {
        Assessment a = engine.assess(conds, now);
        long fp = a.fingerprint(rules.version());
        PersonState next = s.withConditions(conds);
        boolean nothingToSay = s.seq() == 0 && conds.isEmpty();
        if (!nothingToSay && fp != s.fingerprint()) {
            String colour = a.colour().wireName();
            long since = colour.equals(s.colour()) && s.seq() > 0 ? s.sinceMs() : now;
            long seq = s.seq() + 1;
            out.collect(new StatusChange(personId, colour, since, a.conditions(), rules.version(), seq, now));
            next = new PersonState(conds, seq, colour, since, fp);
        }
        if (next.seq() == 0 && next.conditions().isEmpty()) {
            person.clear();
        } else {
            person.update(next);
        }
        long wake = engine.nextChange(conds, now);
        if (wake != Long.MAX_VALUE) {
            timers.registerEventTimeTimer(wake);
        }
    }
}
