package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.rules.InvalidRuleSetException;
import org.healthcode.risk.rules.RuleSetJson;
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
 * watermark. Rules are data: a valid rule set on the broadcast input replaces the one in force for every person
 * from their next input or timer (an invalid one goes to the rejected output naming its field, and the previous
 * one stays); every status records the version that decided it.
 *
 * <p>Epochs: with {@code epochs} on (the live job), a job that starts with empty state takes the wall clock at start
 * as its epoch and stamps it on every status; restores keep it (operator state, the highest of the restored ones).
 * The serving view orders a person's statuses by (epoch, seq), so a region that rebuilds its state from the retained
 * feeds (seq starting again at 1) supersedes what the old job wrote instead of being ignored as stale. A checkpoint
 * without an epoch restores epoch 0, what statuses without one carry. Replays run with epoch 0. State end of life: {@code pending} entries leave when applied; {@code person} shrinks to the sequence
 * number (and the national pseudonym of an identity binding, if any) once no condition is active (see
 * {@link PersonState}); stale timers fire once and do nothing.
 */
public class PersonRiskFunction extends KeyedBroadcastProcessFunction<String, PersonInput, RuleSetUpdate, StatusChange>
        implements CheckpointedFunction {
    private final RuleSet initialRules;
    private final OutputTag<Rejected> rejectedTag;
    private final boolean epochs;

    private transient long epoch;
    private transient ListState<Long> epochState;

    private transient RiskEngine initialEngine;
    private transient String cachedJson;
    private transient RiskEngine cachedEngine;
    private transient ValueState<PersonState> person;
    private transient MapState<String, PersonInput> pending;

    /**
     * @param initialRules the rule set in force until the first valid one arrives on the broadcast input (and
     *     whenever the broadcast state holds none)
     * @param rejectedTag where invalid rule sets go, naming the field
     */
    public PersonRiskFunction(RuleSet initialRules, OutputTag<Rejected> rejectedTag) {
        this(initialRules, rejectedTag, false);
    }

    /** As above; with {@code epochs}, statuses carry the epoch of the job's state (see the class comment). */
    public PersonRiskFunction(RuleSet initialRules, OutputTag<Rejected> rejectedTag, boolean epochs) {
        this.initialRules = initialRules;
        this.rejectedTag = rejectedTag;
        this.epochs = epochs;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        epochState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("epoch", TypeInformation.of(Long.class)));
        epoch = 0;
        if (context.isRestored()) {
            for (Long e : epochState.get()) {
                epoch = Math.max(epoch, e);
            }
        } else if (epochs) {
            epoch = System.currentTimeMillis();
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        epochState.update(List.of(epoch));
    }

    @Override
    public void open(OpenContext openContext) {
        initialEngine = new RiskEngine(initialRules);
        person = getRuntimeContext().getState(
                new ValueStateDescriptor<>("person", TypeInformation.of(PersonState.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", TypeInformation.of(String.class), TypeInformation.of(PersonInput.class)));
    }

    @Override
    public void processBroadcastElement(RuleSetUpdate update, Context ctx, Collector<StatusChange> out)
            throws Exception {
        try {
            RuleSetJson.parse(update.json());
            ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR).put(RuleBroadcast.CURRENT,
                    new String(update.json(), StandardCharsets.UTF_8));
        } catch (InvalidRuleSetException e) {
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                String first = e.problems().get(0);
                String field = first.contains(":") ? first.substring(0, first.indexOf(':')) : null;
                ctx.output(rejectedTag, update.reject("invalid", field,
                        "invalid: rule set refused, the previous one stays in force: " + e.getMessage()));
            }
        }
    }

    /** The engine of the rule set in force: the last valid broadcast one, else the initial one. */
    private RiskEngine engine(ReadOnlyContext ctx) throws Exception {
        String json = ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR).get(RuleBroadcast.CURRENT);
        if (json == null) {
            return initialEngine;
        }
        if (!json.equals(cachedJson)) {
            cachedEngine = new RiskEngine(RuleSetJson.parse(json.getBytes(StandardCharsets.UTF_8)));
            cachedJson = json;
        }
        return cachedEngine;
    }

    @Override
    public void processElement(PersonInput e, ReadOnlyContext ctx, Collector<StatusChange> out) throws Exception {
        if (changesNothing(e)) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (e.time() > watermark) {
            pending.put(e.id(), e);
            ctx.timerService().registerEventTimeTimer(e.time());
            return;
        }
        // behind the watermark: apply now; at the end of input (watermark = end of time) "now" is the event's time
        long now = watermark == Long.MAX_VALUE ? e.time() : watermark;
        RiskEngine engine = engine(ctx);
        PersonState s = load();
        String nationalId = NationalIds.learned(s, e);
        List<ConditionState> conds = engine.apply(s.conditions(), e);
        conds = engine.advance(conds, now);
        finish(engine, s, conds, now, ctx.getCurrentKey(), ctx.timerService(), out, nationalId);
    }

    /**
     * True for an input that would change nothing when applied, so it need not wait in {@code pending} with a timer
     * (most persons' venue scans and trips: a third of a city's person events, each several RocksDB writes and
     * reads): a feed event of a type no rule reads ({@link RiskEngine#concernsNoRule}) and that teaches no national
     * pseudonym, for a person with nothing to show (no status ever, no condition) and nothing pending. Applied, it
     * would leave the conditions as they are (none), emit nothing (a person with no status and no condition has
     * nothing to say, whatever the rule set) and store the same state; with inputs pending it is kept, so a rule set
     * that arrives meanwhile meets the same inputs as before.
     */
    private boolean changesNothing(PersonInput in) throws Exception {
        if (in.event() == null || !RiskEngine.concernsNoRule(in.event()) || NationalIds.teaches(in)) {
            return false;
        }
        PersonState s = person.value();
        if (s != null && (s.seq() != 0 || !s.conditions().isEmpty())) {
            return false;
        }
        return pending.isEmpty();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<StatusChange> out) throws Exception {
        List<PersonInput> due = new ArrayList<>();
        for (PersonInput in : pending.values()) {
            if (in.time() <= timestamp) {
                due.add(in);
            }
        }
        // removed by key after the loop, not through the iterator: on RocksDB that is one delete each and no second
        // iterator (clear() would seek again), and on the heap backend the last removal drops the emptied map
        for (PersonInput in : due) {
            pending.remove(in.id());
        }
        PersonState stored = person.value();
        if (stored == null && due.isEmpty()) {
            return; // a timer left over from a condition that is gone
        }
        PersonState s = stored == null ? PersonState.initial() : stored;
        RiskEngine engine = engine(ctx);
        due.sort(Comparator.comparingLong(PersonInput::time).thenComparing(PersonInput::id));
        // phase ends at this instant come first, then the events of this instant in eventId order
        List<ConditionState> conds = engine.advance(s.conditions(), timestamp);
        String nationalId = s.nationalId();
        for (PersonInput e : due) {
            conds = engine.apply(conds, e);
            nationalId = NationalIds.learned(s.withNationalId(nationalId), e);
        }
        conds = engine.advance(conds, timestamp);
        finish(engine, s, conds, timestamp, ctx.getCurrentKey(), ctx.timerService(), out, nationalId);
    }

    private PersonState load() throws Exception {
        PersonState s = person.value();
        return s == null ? PersonState.initial() : s;
    }

    private void finish(RiskEngine engine, PersonState s, List<ConditionState> conds, long now, String personId,
                        org.apache.flink.streaming.api.TimerService timers, Collector<StatusChange> out,
                        String nationalId) throws Exception {
        Assessment a = engine.assess(conds, now);
        String version = engine.rules().version();
        long fp = a.fingerprint(version);
        PersonState next = s.withConditions(conds).withNationalId(nationalId);
        boolean nothingToSay = s.seq() == 0 && conds.isEmpty();
        // a national pseudonym learned after the last status is published with a new one, so other regions find them
        boolean newNationalId = nationalId != null && !nationalId.equals(s.nationalId());
        if (!nothingToSay && (fp != s.fingerprint() || newNationalId)) {
            String colour = a.colour().wireName();
            long since = colour.equals(s.colour()) && s.seq() > 0 ? s.sinceMs() : now;
            long seq = s.seq() + 1;
            out.collect(new StatusChange(personId, colour, since, a.conditions(), version, seq, now, nationalId, epoch));
            next = new PersonState(conds, seq, colour, since, fp, nationalId);
        }
        if (next.isEmpty()) {
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
