package org.healthcode.risk.functions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.Assessment;
import org.healthcode.risk.rules.InvalidRuleSetException;
import org.healthcode.risk.rules.RiskEngine;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.rules.RuleSetJson;
import org.healthcode.risk.state.ConditionState;
import org.healthcode.risk.state.PersonHistory;
import org.healthcode.risk.state.PersonState;

/**
 * Keyed by person: keeps the person's conditions and emits a {@link StatusChange} whenever what the status shows
 * changes, from the person's feed events and the exposures contact detection found. Results follow event time, never arrival order: events are buffered until the watermark passes them
 * and then applied in (time, id) order by an event-time timer; phase ends are event-time timers too.
 *
 * <p>An input that arrives already behind the watermark (but within the allowed lateness, checked upstream) is
 * applied as if it had come in order: the person's inputs of the last allowed-lateness window are kept
 * ({@link PersonHistory}) and replayed over the conditions as of before them with the late one among them, phase ends
 * at their instants. The result (conditions, colour and {@code since}: when the colour changed in event time) is
 * emitted as a correction that takes effect at the watermark. An input older than the kept window (a rule set that
 * shortened the lateness) is applied at the watermark instead.
 *
 * <p>Rules are data: a valid rule set on the broadcast input replaces the one in force for every person from their
 * next input or timer (an invalid one goes to the rejected output naming its field, and the previous one stays);
 * every status records the version that decided it.
 *
 * <p>Epochs: with {@code epochs} on (the live job), a job that starts with empty state takes the wall clock at start
 * as its epoch and stamps it on every status; restores keep it (operator state, the highest of the restored ones).
 * The serving view orders a person's statuses by (epoch, seq), so a region that rebuilds its state from the retained
 * feeds (seq starting again at 1) supersedes what the old job wrote instead of being ignored as stale. A checkpoint
 * without an epoch restores epoch 0, what statuses without one carry. Replays run with epoch 0.
 *
 * <p>State end of life: {@code pending} entries leave when applied; {@code person} shrinks to the sequence number (and
 * the national pseudonym of an identity binding, if any) once no condition is active (see {@link PersonState});
 * {@code history} goes once the allowed lateness has passed the person's last input and condition; stale timers
 * fire once and do nothing.
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
    private transient EventTimeBuffer<PersonInput> pending;
    private transient ValueState<PersonHistory> history;

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
        epochState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("epoch", TypeInformation.of(Long.class)));
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
        person = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("person", TypeInformation.of(PersonState.class)));
        pending = EventTimeBuffer.open(
                getRuntimeContext(), TypeInformation.of(PersonInput.class), PersonInput::id, PersonInput::time);
        history = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("history", TypeInformation.of(PersonHistory.class)));
    }

    @Override
    public void processBroadcastElement(RuleSetUpdate update, Context ctx, Collector<StatusChange> out)
            throws Exception {
        try {
            RuleSetJson.parse(update.json());
            ctx.getBroadcastState(RuleBroadcast.DESCRIPTOR)
                    .put(RuleBroadcast.CURRENT, new String(update.json(), StandardCharsets.UTF_8));
        } catch (InvalidRuleSetException e) {
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                String first = e.problems().get(0);
                String field = first.contains(":") ? first.substring(0, first.indexOf(':')) : null;
                ctx.output(
                        rejectedTag,
                        update.reject(
                                "invalid",
                                field,
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
        if (e.exposure() != null && revise(e, watermark, ctx, out)) {
            return;
        }
        if (pending.holdIfAhead(e, ctx.timerService())) {
            return;
        }
        // behind the watermark: apply now; at the end of input (watermark = end of time) "now" is the event's time
        long now = watermark == Long.MAX_VALUE ? e.time() : watermark;
        RiskEngine engine = engine(ctx);
        PersonState s = load();
        String nationalId = NationalIds.learned(s, e);
        PersonHistory h = loadHistory();
        if (watermark == Long.MAX_VALUE || e.time() <= h.baseMs()) {
            List<ConditionState> conds = engine.apply(s.conditions(), e);
            conds = engine.advance(conds, now);
            finish(engine, s, conds, now, ctx.getCurrentKey(), ctx.timerService(), out, nationalId, null);
            return;
        }
        List<PersonInput> inputs = new ArrayList<>(h.inputs());
        inputs.add(e);
        inputs.sort(IN_ORDER);
        h = new PersonHistory(h.baseMs(), h.base(), h.baseColour(), h.baseSinceMs(), inputs);
        Replayed r = replay(engine, h, inputs, now);
        long since = r.sinceMs() != Long.MIN_VALUE
                ? r.sinceMs()
                : r.colour().equals(s.colour()) && s.seq() > 0 ? s.sinceMs() : now;
        finish(engine, s, r.conditions(), now, ctx.getCurrentKey(), ctx.timerService(), out, nationalId, since);
        keep(engine, h, now, ctx.timerService());
    }

    /**
     * An exposure contact detection revised (the same id again, other content) or withdrew: the latest version is
     * the one that counts. Waiting in {@code pending}, it is replaced (a withdrawal removes it); already applied and
     * still in the history, the person's recent past is replayed without the old version (and with the new one, if
     * the watermark has passed it, else it waits), and the result is emitted as a correction. True when handled.
     */
    private boolean revise(PersonInput e, long watermark, ReadOnlyContext ctx, Collector<StatusChange> out)
            throws Exception {
        boolean withdrawn = e.exposure().withdrawn();
        if (pending.contains(e.id())) {
            pending.remove(e.id());
            if (withdrawn) {
                return true;
            }
        }
        PersonHistory h = history.value();
        int applied = -1;
        for (int i = 0; h != null && i < h.inputs().size() && applied < 0; i++) {
            if (h.inputs().get(i).id().equals(e.id())) {
                applied = i;
            }
        }
        if (applied < 0 || watermark == Long.MAX_VALUE) {
            return withdrawn; // not applied (or folded into the base: the new version is applied on top)
        }
        if (h.inputs().get(applied).equals(e)) {
            return true;
        }
        List<PersonInput> inputs = new ArrayList<>(h.inputs());
        inputs.remove(applied);
        if (!withdrawn && !pending.holdIfAhead(e, ctx.timerService())) {
            inputs.add(e);
            inputs.sort(IN_ORDER);
        }
        applyReplayed(
                e,
                new PersonHistory(h.baseMs(), h.base(), h.baseColour(), h.baseSinceMs(), inputs),
                watermark,
                ctx,
                out);
        return true;
    }

    /** Emits the person's status after replaying {@code h} (its inputs in order over its base) up to the watermark. */
    private void applyReplayed(
            PersonInput e, PersonHistory h, long watermark, ReadOnlyContext ctx, Collector<StatusChange> out)
            throws Exception {
        RiskEngine engine = engine(ctx);
        PersonState s = load();
        String nationalId = NationalIds.learned(s, e);
        Replayed r = replay(engine, h, h.inputs(), watermark);
        long since = r.sinceMs() != Long.MIN_VALUE
                ? r.sinceMs()
                : r.colour().equals(s.colour()) && s.seq() > 0 ? s.sinceMs() : watermark;
        finish(engine, s, r.conditions(), watermark, ctx.getCurrentKey(), ctx.timerService(), out, nationalId, since);
        keep(engine, h, watermark, ctx.timerService());
    }

    private static final Comparator<PersonInput> IN_ORDER =
            Comparator.comparingLong(PersonInput::time).thenComparing(PersonInput::id);

    /** Conditions, colour and since after in-order processing up to an instant. */
    private record Replayed(List<ConditionState> conditions, String colour, long sinceMs) {}

    /**
     * In-order processing of {@code inputs} (sorted, after the base) over the history's base up to {@code to}: at
     * each input's instant and each phase end, as event-time timers would; the colour's changes give since.
     */
    private static Replayed replay(RiskEngine engine, PersonHistory h, List<PersonInput> inputs, long to) {
        List<ConditionState> conds = h.base();
        String colour = h.baseColour();
        long since = h.baseSinceMs();
        long now = h.baseMs();
        int i = 0;
        while (true) {
            long next =
                    Math.min(i < inputs.size() ? inputs.get(i).time() : Long.MAX_VALUE, engine.nextChange(conds, now));
            if (next > to) {
                break;
            }
            conds = engine.advance(conds, next);
            while (i < inputs.size() && inputs.get(i).time() <= next) {
                conds = engine.apply(conds, inputs.get(i++));
            }
            conds = engine.advance(conds, next);
            String c = engine.assess(conds, next).colour().wireName();
            if (!c.equals(colour)) {
                colour = c;
                since = next;
            }
            now = next;
        }
        return new Replayed(engine.advance(conds, to), colour, since);
    }

    /**
     * Stores the history with the inputs the watermark has left more than the allowed lateness behind folded into
     * its base (none that old can arrive any more), and a timer for when the newest one will be.
     */
    private void keep(RiskEngine engine, PersonHistory h, long now, org.apache.flink.streaming.api.TimerService timers)
            throws Exception {
        long lateness = engine.rules().allowedLatenessMillis();
        long horizon = now - lateness;
        int n = 0;
        while (n < h.inputs().size() && h.inputs().get(n).time() <= horizon) {
            n++;
        }
        if (n > 0 || (!h.base().isEmpty() && horizon > h.baseMs())) {
            Replayed r = replay(engine, h, h.inputs().subList(0, n), horizon);
            h = new PersonHistory(
                    horizon,
                    r.conditions(),
                    r.colour(),
                    r.sinceMs(),
                    h.inputs().subList(n, h.inputs().size()));
        }
        if (h.isEmpty()) {
            history.clear();
            return;
        }
        history.update(h);
        // folded again once the newest input, or else the base's last condition, is beyond the allowed lateness
        long last = h.inputs().isEmpty()
                ? Long.MIN_VALUE
                : h.inputs().get(h.inputs().size() - 1).time();
        for (ConditionState c : h.inputs().isEmpty() ? h.base() : List.<ConditionState>of()) {
            last = Math.max(last, engine.endAt(c));
        }
        if (last != Long.MAX_VALUE && last > Long.MIN_VALUE) {
            long fold = last + lateness;
            timers.registerEventTimeTimer(fold - Math.floorMod(fold, HOUR) + HOUR);
        }
    }

    private static final long HOUR = 3_600_000L;

    private PersonHistory loadHistory() throws Exception {
        PersonHistory h = history.value();
        return h == null ? PersonHistory.empty() : h;
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
        List<PersonInput> due = pending.takeDue(timestamp);
        PersonState stored = person.value();
        PersonHistory h = history.value();
        if (stored == null && due.isEmpty() && h == null) {
            return; // a timer left over from a condition that is gone
        }
        PersonState s = stored == null ? PersonState.initial() : stored;
        RiskEngine engine = engine(ctx);
        // phase ends at this instant come first, then the events of this instant in eventId order
        List<ConditionState> conds = engine.advance(s.conditions(), timestamp);
        String nationalId = s.nationalId();
        for (PersonInput e : due) {
            conds = engine.apply(conds, e);
            nationalId = NationalIds.learned(s.withNationalId(nationalId), e);
        }
        conds = engine.advance(conds, timestamp);
        finish(engine, s, conds, timestamp, ctx.getCurrentKey(), ctx.timerService(), out, nationalId, null);
        if (h == null && due.isEmpty()) {
            return;
        }
        PersonHistory past = h == null ? PersonHistory.empty() : h;
        if (!due.isEmpty()) {
            List<PersonInput> inputs = new ArrayList<>(past.inputs());
            inputs.addAll(due);
            inputs.sort(IN_ORDER);
            past = new PersonHistory(past.baseMs(), past.base(), past.baseColour(), past.baseSinceMs(), inputs);
        }
        keep(engine, past, timestamp, ctx.timerService());
    }

    private PersonState load() throws Exception {
        PersonState s = person.value();
        return s == null ? PersonState.initial() : s;
    }

    private void finish(
            RiskEngine engine,
            PersonState s,
            List<ConditionState> conds,
            long now,
            String personId,
            org.apache.flink.streaming.api.TimerService timers,
            Collector<StatusChange> out,
            String nationalId,
            Long derivedSince)
            throws Exception {
        Assessment a = engine.assess(conds, now);
        String version = engine.rules().version();
        long fp = a.fingerprint(version);
        PersonState next = s.withConditions(conds).withNationalId(nationalId);
        boolean nothingToSay = s.seq() == 0 && conds.isEmpty();
        // a national pseudonym learned after the last status is published with a new one, so other regions find them
        boolean newNationalId = nationalId != null && !nationalId.equals(s.nationalId());
        // a late input replayed in order (derivedSince) may move since without changing anything else
        boolean sinceMoved = derivedSince != null && s.seq() > 0 && derivedSince != s.sinceMs();
        if (!nothingToSay && (fp != s.fingerprint() || newNationalId || sinceMoved)) {
            String colour = a.colour().wireName();
            long since =
                    derivedSince != null ? derivedSince : colour.equals(s.colour()) && s.seq() > 0 ? s.sinceMs() : now;
            long seq = s.seq() + 1;
            out.collect(
                    new StatusChange(personId, colour, since, a.conditions(), version, seq, now, nationalId, epoch));
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
