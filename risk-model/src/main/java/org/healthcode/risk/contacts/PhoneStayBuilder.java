package org.healthcode.risk.contacts;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.CheckpointType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Keyed by phone (msisdn): turns carrier pings into {@link Stay}s attributed to the person the phone was bound to at
 * the ping's time, by the rules of {@link StayRules}; pings wait in a {@link PingBuffer} and phones are read through
 * a write-behind {@link PhoneCache}. Why an operator and not a process function, and its clock: docs/contacts.md
 * ("The phone side").
 *
 * <p>Two inputs, two event-time domains: input 1 is the carrier's pings with the carrier feed's watermark, input 2
 * the identity bindings with the other feeds' watermark. The clock is the lower of the two, except that an idle
 * carrier feed never lets it move on (a carrier batch a day late must find the clock where the last one left it) and
 * idle bindings do not hold it back. Pings are applied once the clock passes them, in (time, phone) order, so arrival
 * order does not matter; bindings are recorded as they arrive. Downstream goes the bindings' watermark: a stay a day
 * late is a late element there, which the person index and the place detectors accept within the look-back. A stay
 * is emitted when it ends, and while still open at the end of a watermark step in which it passed a progress mark
 * ({@link StayRules#passesProgressMark}) or when the carrier feed goes idle (the same stay, longer each time; see
 * docs/contacts.md, "Open stays"); the gap that ends a silent phone's stay is found in a heap index of deadlines, not
 * a timer per ping. Pings behind the clock go to {@link ContactOutputTags#LATE_PINGS} unless they repeat a ping of the open
 * stay; pings with no binding at their time are dropped and counted ({@code unboundPings}).
 *
 * <p>State and its end of life: {@code phone} one entry per phone (bindings still needed, the open stay) until it
 * holds neither; {@code buffered-signals} (union operator state) and {@code waiting-pings} (keyed) until the clock
 * passes them; the changed phones not yet written back in raw keyed state, for one checkpoint.
 */
public class PhoneStayBuilder extends AbstractStreamOperator<Stay>
        implements TwoInputStreamOperator<PhoneSignal, PhoneSignal, Stay> {

    private final ContactRules rules;
    /** The heap sizes: phones cached, barriers before a write-back, pings waiting in heap. */
    private final PhoneSideSettings sizes;
    /**
     * Whether this operator writes raw keyed state: not when Flink writes timers there (RocksDB with timers on the
     * heap, {@code --timers heap}); then every checkpoint writes the changed phones back. Decided once the keyed
     * state backend is known (Flink asks before that, when restoring: this operator has no timers to restore).
     */
    private boolean customRawKeyedState = true;

    private transient StayRules stayRules;
    private transient ValueStateDescriptor<PhoneState> phoneDescriptor;
    private transient ListState<PhoneSignal> bufferedState;
    private transient ListStateDescriptor<PhoneSignal> waitingDescriptor;
    private transient ListState<Long> watermarkState;
    private transient PhoneCache phones;
    private transient PingBuffer pings;
    private transient ArrayDeque<Deadline> deadlines;
    /** Phones whose open stay passed a progress mark in the current watermark step. */
    private transient ArrayList<PhoneEntry> progressed;

    private transient StayRules.Outcome outcome;
    /** The operator's clock: pings and gap deadlines up to it are applied (see the class comment). */
    private transient long watermark;
    /** The carrier feed's watermark (input 1). */
    private transient long carrierWatermark;
    /** The bindings' watermark (input 2), forwarded downstream. */
    private transient long bindingsWatermark;
    /** Whether the bindings' input is idle (then it does not hold the clock back). */
    private transient boolean bindingsIdle;

    private transient Counter unboundPings;
    private transient Counter latePings;

    public PhoneStayBuilder(ContactRules rules) {
        this(rules, PhoneSideSettings.DEFAULTS);
    }

    /**
     * @param cacheCapacity phones whose state stays cached in heap across checkpoints; above it the cache is emptied
     *     (after writing back) at the next checkpoint
     */
    public PhoneStayBuilder(ContactRules rules, int cacheCapacity) {
        this(
                rules,
                cacheCapacity,
                PhoneSideSettings.DEFAULTS.quietBarriers(),
                PhoneSideSettings.DEFAULTS.pingsInHeap());
    }

    /** As {@link #PhoneStayBuilder(ContactRules, PhoneSideSettings)}, each size on its own (tests). */
    public PhoneStayBuilder(ContactRules rules, int cacheCapacity, int quietBarriers, int heapBufferLimit) {
        this(rules, new PhoneSideSettings(cacheCapacity, quietBarriers, heapBufferLimit));
    }

    /** @param settings what stays in heap: the phones cached, when they are written back, the pings waiting */
    public PhoneStayBuilder(ContactRules rules, PhoneSideSettings settings) {
        this.rules = rules.validated();
        this.sizes = settings;
    }

    /** The heap sizes this operator was built with. */
    public PhoneSideSettings settings() {
        return sizes;
    }

    /**
     * When a phone's open stay ends by the gap rule unless a ping comes first (stale when the phone's deadline has
     * moved since). A plain FIFO is enough: deadlines are made in (time, phone) order, since a watermark step applies
     * pings in that order and every ping of the next step is later than every ping of this one.
     */
    private record Deadline(long time, PhoneEntry phone) {
        boolean current() {
            return phone.deadline == time;
        }
    }

    @Override
    protected boolean isUsingCustomRawKeyedState() {
        return customRawKeyedState;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        customRawKeyedState = !(getKeyedStateBackend() instanceof AbstractKeyedStateBackend<?> backend
                && backend.requiresLegacySynchronousTimerSnapshots(CheckpointType.CHECKPOINT));
        stayRules = new StayRules(rules.stayGapMillis());
        phoneDescriptor = new ValueStateDescriptor<>("phone", new PhoneState.CompactSerializer());
        ValueState<PhoneState> phoneState = context.getKeyedStateStore().getState(phoneDescriptor);
        bufferedState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("buffered-signals", new PhoneSignal.Serializer()));
        waitingDescriptor = new ListStateDescriptor<>("waiting-pings", new PhoneSignal.Serializer());
        ListState<PhoneSignal> waitingState = context.getKeyedStateStore().getListState(waitingDescriptor);
        watermarkState =
                context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("watermark", Long.class));
        phones = new PhoneCache(phoneState, this::setCurrentKey, sizes.phoneCache(), sizes.quietBarriers());
        pings = new PingBuffer(sizes.pingsInHeap(), phones, waitingState, this::setCurrentKey);
        deadlines = new ArrayDeque<>();
        progressed = new ArrayList<>();
        watermark = Long.MIN_VALUE;
        carrierWatermark = Long.MIN_VALUE;
        bindingsWatermark = Long.MIN_VALUE;
        bindingsIdle = false;
        if (context.isRestored()) {
            restore(context);
        }
    }

    /**
     * The clock, the pings waiting in heap (each subtask keeps those of its own key groups), the phones and the
     * deadline index rebuilt from keyed state and from the changed phones carried in raw keyed state.
     */
    private void restore(StateInitializationContext context) throws Exception {
        // the lowest of the subtasks' watermarks: a ping behind it was late before the restore and still is
        for (Long w : watermarkState.get()) {
            watermark = watermark == Long.MIN_VALUE ? w : Math.min(watermark, w);
        }
        TaskInfo task = getRuntimeContext().getTaskInfo();
        for (PhoneSignal s : bufferedState.get()) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(
                            s.msisdn(), task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
                    == task.getIndexOfThisSubtask()) {
                pings.restoreInHeap(s);
            }
        }
        // keyed state holds the phones as of the last write-back; the raw keyed state, those changed since
        java.util.HashMap<String, PhoneState> unsaved = PhoneCache.readUnsaved(context);
        List<Deadline> open = new ArrayList<>();
        getKeyedStateBackend()
                .<VoidNamespace, ValueState<PhoneState>, PhoneState>applyToAllKeys(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, phoneDescriptor, (key, state) -> {
                            PhoneState ps = state.value();
                            if (ps != null && ps.open() != null && !unsaved.containsKey(key)) {
                                PhoneEntry p = phones.restoreOpen((String) key);
                                p.deadline = stayRules.gapDeadline(ps.open());
                                open.add(new Deadline(p.deadline, p));
                            }
                        });
        for (var e : unsaved.entrySet()) {
            PhoneEntry p = phones.restoreUnsaved(e.getKey(), e.getValue());
            if (p.state != null && p.state.open() != null) {
                p.deadline = stayRules.gapDeadline(p.state.open());
                open.add(new Deadline(p.deadline, p));
            }
        }
        open.sort(Comparator.comparingLong(Deadline::time).thenComparing(d -> d.phone().msisdn));
        deadlines.addAll(open);
        getKeyedStateBackend()
                .<VoidNamespace, ListState<PhoneSignal>, List<PhoneSignal>>applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        waitingDescriptor,
                        (key, state) -> pings.restoreWaiting((String) key, state.get()));
    }

    @Override
    public void open() throws Exception {
        super.open();
        unboundPings = getMetricGroup().counter("unboundPings");
        latePings = getMetricGroup().counter("latePings");
        outcome = new StayRules.Outcome() {
            @Override
            public void stay(Stay stay, long timestamp) {
                output.collect(new StreamRecord<>(stay, timestamp));
            }

            @Override
            public void unboundPing() {
                unboundPings.inc();
            }
        };
    }

    /** A ping (input 1): waits for the clock, or is late. */
    @Override
    public void processElement1(StreamRecord<PhoneSignal> record) throws Exception {
        PhoneSignal s = record.getValue();
        if (s.binding()) {
            throw new IllegalArgumentException("input 1 takes pings only, got the binding " + s.eventId());
        }
        if (s.time() > watermark) {
            pings.add(s);
            return;
        }
        PhoneEntry p = phones.load(s.msisdn());
        if (!StayRules.repeatsOpenStay(p.state, s)) {
            latePings.inc();
            output.collect(ContactOutputTags.LATE_PINGS, new StreamRecord<>(s, s.time()));
        }
    }

    /** An identity binding (input 2): recorded at once, in its time order among the phone's bindings. */
    @Override
    public void processElement2(StreamRecord<PhoneSignal> record) throws Exception {
        PhoneSignal s = record.getValue();
        if (!s.binding()) {
            throw new IllegalArgumentException("input 2 takes identity bindings only, got the ping " + s.eventId());
        }
        PhoneBinding b = new PhoneBinding(s.personId(), s.time(), s.eventId());
        PhoneEntry p = phones.load(s.msisdn());
        PhoneState before = p.state;
        PhoneState after = stayRules.bind(p.msisdn, before, b, watermark, outcome);
        phones.set(p, after);
        if (b.since() <= watermark) {
            afterChange(p, before, after); // a binding ahead of the clock leaves the open stay as it is
        }
    }

    /** The carrier feed's watermark. */
    @Override
    public void processWatermark1(Watermark mark) throws Exception {
        carrierWatermark = Math.max(carrierWatermark, mark.getTimestamp());
        advanceClock();
        if (carrierWatermark == Long.MAX_VALUE && bindingsWatermark == Long.MAX_VALUE) {
            super.processWatermark(mark); // end of both inputs
        }
    }

    /** The bindings' watermark goes downstream as the operator's own (at the end of input, once pings end too). */
    @Override
    public void processWatermark2(Watermark mark) throws Exception {
        if (mark.getTimestamp() <= bindingsWatermark) {
            return;
        }
        bindingsWatermark = mark.getTimestamp();
        advanceClock();
        if (bindingsWatermark < Long.MAX_VALUE || carrierWatermark == Long.MAX_VALUE) {
            super.processWatermark(mark);
        }
    }

    /**
     * Idleness: an idle carrier feed leaves the clock where its last batch left it and does not reach downstream, but
     * every open stay that grew since it was last reported is reported as it is (until the next batch, that is all
     * there is to know of it); idle bindings stop holding the clock back, and their status goes downstream as their
     * watermark does.
     */
    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 0 && status.isIdle()) {
            reportOpenStays();
        } else if (index == 1) {
            bindingsIdle = status.isIdle();
            advanceClock();
            output.emitWatermarkStatus(status);
        }
    }

    /** Moves the clock to the lower of the two watermarks (the carrier's alone while the bindings are idle). */
    private void advanceClock() throws Exception {
        long limit = bindingsIdle ? carrierWatermark : Math.min(carrierWatermark, bindingsWatermark);
        if (limit > watermark) {
            watermark = limit;
            applyUpTo(watermark);
        }
    }

    /**
     * Applies every waiting ping and gap deadline at or before {@code w} in one pass ordered by (time, phone), so
     * stays leave in the order the timers of a process function would have fired; deadlines that the pass itself
     * creates at or before {@code w} are merged in as it goes.
     */
    private void applyUpTo(long w) throws Exception {
        PhoneSignal[] sorted = pings.due(w);
        int n = pings.dueCount();
        int i = 0;
        try {
            while (true) {
                Deadline d = nextDeadline(w);
                PhoneSignal next = i < n ? sorted[i] : null;
                if (d != null
                        && (next == null
                                || d.time() < next.time()
                                || (d.time() == next.time() && d.phone().msisdn.compareTo(next.msisdn()) <= 0))) {
                    deadlines.poll();
                    apply(d.phone(), d.time(), null); // the gap check ends the stay
                    continue;
                }
                if (next == null) {
                    if (w != Long.MAX_VALUE) { // at the end of input every stay ends in this step
                        reportProgressed(w);
                    }
                    return;
                }
                // every ping of one phone at one millisecond, as one step: gap check, then the ping
                int j = i;
                while (j < n
                        && sorted[j].time() == next.time()
                        && sorted[j].msisdn().equals(next.msisdn())) {
                    j++;
                }
                apply(phones.load(next.msisdn()), next.time(), StayRules.pingOfOneMillisecond(sorted, i, j));
                i = j;
            }
        } finally {
            pings.release();
        }
    }

    /** The earliest current gap deadline at or before {@code w} (stale entries are dropped), or null. */
    private Deadline nextDeadline(long w) {
        while (!deadlines.isEmpty() && deadlines.peek().time() <= w) {
            Deadline d = deadlines.peek();
            if (d.current()) {
                return d;
            }
            deadlines.poll();
        }
        return null;
    }

    /** One step of the phone at {@code t}: the gap check, then {@code ping} if not null. */
    private void apply(PhoneEntry p, long t, PhoneSignal ping) throws Exception {
        if (!p.cached) {
            phones.load(p.msisdn);
        }
        PhoneState before = p.state;
        PhoneState after = stayRules.step(p.msisdn, before, t, ping, outcome);
        phones.set(p, after);
        afterChange(p, before, after);
    }

    /**
     * Reports the open stays that passed a progress mark in the step that ends at {@code w} and are still open: the
     * stay so far, stamped with the clock.
     */
    private void reportProgressed(long w) throws Exception {
        for (PhoneEntry p : progressed) {
            p.progressed = false;
            report(p, w);
        }
        progressed.clear();
    }

    /**
     * Reports every open stay that grew since it was last reported (the carrier feed went idle), in phone order,
     * stamped with the clock.
     */
    private void reportOpenStays() throws Exception {
        List<PhoneEntry> open = new ArrayList<>();
        for (PhoneEntry p : phones.entries()) {
            if (p.deadline != PhoneEntry.NO_DEADLINE) {
                open.add(p);
            }
        }
        open.sort(Comparator.comparing(p -> p.msisdn));
        for (PhoneEntry p : open) {
            report(p, watermark);
        }
    }

    /** Emits the phone's open stay as it is, unless it was reported so already or is a single ping. */
    private void report(PhoneEntry p, long timestamp) throws Exception {
        if (!p.cached) {
            phones.load(p.msisdn);
        }
        PhoneState.OpenStay open = p.state == null ? null : p.state.open();
        if (open != null && open.to() > open.from() && open.to() > p.reportedTo) {
            p.reportedTo = open.to();
            output.collect(new StreamRecord<>(open.toStay(p.msisdn), timestamp));
        }
    }

    /** Keeps the phone's gap deadline and progress reports in step with its open stay. */
    private void afterChange(PhoneEntry p, PhoneState before, PhoneState after) {
        PhoneState.OpenStay was = before == null ? null : before.open();
        PhoneState.OpenStay now = after == null ? null : after.open();
        if (now == null || was == null || was.from() != now.from()) {
            p.reportedTo = PhoneEntry.NOT_REPORTED; // a new stay, or none
        } else if (!p.progressed
                && StayRules.passesProgressMark(
                        was, now, rules.companionMinOverlapMillis(), sizes.openStayProgressMillis())) {
            p.progressed = true;
            progressed.add(p);
        }
        if (now == null) {
            p.deadline = PhoneEntry.NO_DEADLINE;
        } else if (was == null || was.to() != now.to() || p.deadline == PhoneEntry.NO_DEADLINE) {
            p.deadline = stayRules.gapDeadline(now);
            deadlines.add(new Deadline(p.deadline, p));
        }
    }

    /** Before a barrier: the write-back of the cache ({@link PhoneCache#beforeBarrier}). */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        phones.beforeBarrier(!customRawKeyedState);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        bufferedState.update(pings.inHeap());
        watermarkState.update(List.of(watermark));
        if (customRawKeyedState && phones.hasUnsaved()) {
            phones.writeUnsaved(
                    context.getRawKeyedOperatorStateOutput(),
                    getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks());
        }
    }

    @Override
    public void finish() throws Exception {
        phones.writeBackAll();
        super.finish();
    }

    /** Signals waiting for the watermark in heap (tests: end of life). */
    int bufferedSignals() {
        return pings.inHeapCount();
    }

    /** Phones with pings waiting in keyed state (tests: end of life). */
    int phonesWaitingInState() {
        return (int) phones.entries().stream()
                .filter(p -> p.waitingFrom != PhoneEntry.NONE_WAITING)
                .count();
    }

    /** Phones with an open stay whose gap deadline is indexed (tests: end of life). */
    int openStays() {
        return (int) phones.entries().stream()
                .filter(p -> p.deadline != PhoneEntry.NO_DEADLINE)
                .count();
    }
}
