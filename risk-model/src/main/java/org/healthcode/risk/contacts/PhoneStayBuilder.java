package org.healthcode.risk.contacts;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.CheckpointType;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
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
 * the ping's time.
 *
 * <p>Two inputs, two event-time domains. Input 1 is the carrier's pings with the carrier feed's own watermark; input 2
 * the identity bindings with the other feeds' watermark. The operator's clock is the lower of the two, except that
 * a quiet carrier feed (idle) never lets the clock move on: carrier data often comes a day late, in batches, and a
 * batch must find the clock where the carrier's last one left it, not a day ahead with the other feeds. (A quiet
 * feed of bindings does not hold the clock back.) So pings are applied only once the bindings of their time are
 * known, whichever feed is behind. What the operator passes downstream is the bindings' watermark: the stays join
 * the other feeds' events there, in their time; a stay a day late is a late element downstream, which the person
 * index and the place detectors accept within the look-back window. At the end of input the output waits for both
 * inputs' end.
 *
 * <p>The rules: pings wait until the clock passes their time, then are applied in event-time order, so
 * arrival order does not matter. Bindings are recorded as they arrive, in their time order (see {@link PhoneState}):
 * a ping is attributed to the binding in force at its own time (a binding at the ping's millisecond counts), whatever
 * came first. Consecutive pings in one cell of one person form a stay from the first to the last; a gap longer than
 * {@code stayGapMillis}, a ping in another cell, or a ping after a re-binding to another person ends it. A binding
 * that arrives behind the clock and is newer than the one in force there ends the open stay at once if it names
 * another person (the pings up to the clock are attributed already). A stay is emitted when it ends
 * (when the clock passes the ping that ends it, or its last ping + gap + 1 ms); stays of a single ping
 * (zero length) are not emitted because they cannot overlap anything. Two pings of one phone at the same
 * millisecond: the same cell is a duplicate (the first to arrive counts); different cells keep the smaller event id.
 * Pings with no binding at their time are dropped and counted ({@code unboundPings}). Pings behind the clock go to {@link ContactOutputTags#LATE_PINGS} unless they repeat a ping of the open stay (the job rejects
 * them before they get here, see {@code CarrierPings}).
 *
 * <p>Why an operator and not a process function: this is the one operator that sees every ping, and a timer plus
 * five to eight RocksDB reads and writes per ping made it the bottleneck (docs/contacts.md). So, per watermark step
 * rather than per ping:
 * <ul>
 *   <li>pings ahead of the clock wait in a heap buffer (no state access, no timer), applied in one
 *       time-ordered pass when a watermark passes them;</li>
 *   <li>a phone's bindings and open stay are one state entry ({@link PhoneState}, hand-written serializer) read
 *       through a write-behind cache: read once, and written back before a checkpoint barrier once the phone has
 *       not changed for {@code quietBarriers} barriers (and at the end); until then checkpoints carry it in raw keyed
 *       state, a sequential write per key group (docs/contacts.md, "Phones that keep changing stay out of
 *       RocksDB"); when more than {@code cacheCapacity} phones are cached at a barrier, they are written back and
 *       the cache is emptied;</li>
 *   <li>the gap that ends a silent phone's stay is found in a heap index of deadlines instead of a timer per ping.</li>
 * </ul>
 * Fault tolerance: a checkpoint holds the phones as of the last write-back in keyed state, the phones changed since
 * in raw keyed state (by key group, so both follow their key groups when the job is rescaled), and the buffer in
 * union operator state (each subtask keeps the signals of its own key groups on restore); on restore the changed
 * phones are cached again (written back at the first barrier unless they change) and the deadline index is rebuilt
 * from both.
 *
 * <p>State and its end of life: {@code phone} one entry per phone: the binding in force at the clock
 * (identity data lives as long as the phone) plus those that take effect later, dropped once a later one is in
 * force at a ping's time; the open stay until it ends; {@code buffered-signals} (pings, in heap) and
 * {@code waiting-pings} (pings beyond {@code heapBufferLimit}, in keyed state per phone) until the clock passes
 * them. Memory: the buffer holds the pings between the clock and the newest ping (pings/s x the carrier feed's
 * out-of-orderness, more while the other feeds are behind the carrier) up to {@code heapBufferLimit}, the rest
 * wait in keyed state with one heap entry per phone (a day's backlog of every feed, read from the start, had the
 * carrier far ahead and 18 M pings in heap and in every checkpoint at 1 M persons), the deadline index one small
 * entry per phone with an open stay, the cache up to its capacity plus the phones first seen since the last
 * checkpoint.
 */
public class PhoneStayBuilder extends AbstractStreamOperator<Stay>
        implements TwoInputStreamOperator<PhoneSignal, PhoneSignal, Stay> {

    /**
     * First int of each key group of this operator's raw keyed state (the changed phones not yet written back),
     * naming its layout, version 1 ("PHS1"). Flink's time service writes its own layout there when timers are on the
     * heap of a RocksDB backend; that starts with a small version number, and this operator has no timers to restore.
     */
    private static final int UNSAVED_LAYOUT = 0x50485331;

    /**
     * Ties of one millisecond: by phone; a stable sort keeps arrival order after that. The time order itself is a
     * primitive sort ({@link #sortDue}).
     */
    private static final Comparator<PhoneSignal> SAME_TIME_ORDER = Comparator.comparing(PhoneSignal::msisdn);

    /** The full order, (time, phone, arrival), for steps the packed keys cannot hold. */
    private static final Comparator<PhoneSignal> IN_TIME_ORDER =
            Comparator.comparingLong(PhoneSignal::time).thenComparing(SAME_TIME_ORDER);

    /** Bits of a packed sort key that hold the signal's arrival index; the rest hold its time from the step's start. */
    private static final int INDEX_BITS = 24;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    private final ContactRules rules;
    /** The heap sizes: phones cached, barriers before a write-back, pings waiting in heap. */
    private final PhoneSideSettings sizes;
    /**
     * Whether this operator writes raw keyed state: not when Flink writes timers there (RocksDB with timers on the
     * heap, {@code --timers heap}); then every checkpoint writes the changed phones back. Decided once the keyed
     * state backend is known (Flink asks before that, when restoring: this operator has no timers to restore).
     */
    private boolean customRawKeyedState = true;

    private transient ValueStateDescriptor<PhoneState> phoneDescriptor;
    private transient ValueState<PhoneState> phoneState;
    private transient ListState<PhoneSignal> bufferedState;
    private transient ListStateDescriptor<PhoneSignal> waitingDescriptor;
    /** Pings waiting for the clock beyond the heap buffer's limit, per phone. */
    private transient ListState<PhoneSignal> waitingState;
    /** The phones with pings in {@link #waitingState}, by their earliest (stale entries skipped). */
    private transient PriorityQueue<Waiting> waiting;
    private transient ListState<Long> watermarkState;
    private transient List<PhoneSignal> buffer;
    private transient PhoneSignal[] arrived;
    /** The signals of the current step in {@link #arrived}, and their earliest and latest time. */
    private transient int arrivedCount;
    private transient long arrivedMin;
    private transient long arrivedMax;
    private transient PhoneSignal[] due;
    private transient long[] dueKeys;
    private transient HashMap<String, Phone> phones;
    /** The phones changed since they were last written back to keyed state (their {@code dirty} flag is set). */
    private transient ArrayList<Phone> dirtyPhones;
    private transient int cached;
    private transient ArrayDeque<Deadline> deadlines;
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
        this(rules, cacheCapacity, PhoneSideSettings.DEFAULTS.quietBarriers(),
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
     * What the operator holds in heap for one phone: its state when cached (and whether it still has to be written
     * back) and the gap deadline of its open stay. Kept while cached or while the phone has an open stay.
     */
    private static final class Phone {
        final String msisdn;
        PhoneState state;
        boolean cached;
        boolean dirty;
        long deadline = NO_DEADLINE;
        /** Checkpoint barriers passed since the phone last changed, while it is dirty. */
        int quiet;
        /** The earliest of the phone's pings waiting in keyed state, or {@link #NONE_WAITING}. */
        long waitingFrom = NONE_WAITING;
        /** The phone's key group, once needed (a raw keyed snapshot). */
        int keyGroup = -1;

        Phone(String msisdn) {
            this.msisdn = msisdn;
        }
    }

    private static final long NO_DEADLINE = Long.MIN_VALUE;
    private static final long NONE_WAITING = Long.MAX_VALUE;

    /** A phone with pings waiting in keyed state, the earliest at {@code time} (stale once that has changed). */
    private record Waiting(long time, Phone phone) {
        boolean current() {
            return phone.waitingFrom == time;
        }
    }

    /**
     * When a phone's open stay ends by the gap rule unless a ping comes first (stale when the phone's deadline has
     * moved since). A plain FIFO is enough: deadlines are made in (time, phone) order, since a watermark step applies
     * pings in that order and every ping of the next step is later than every ping of this one.
     */
    private record Deadline(long time, Phone phone) {
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
        phoneDescriptor = new ValueStateDescriptor<>("phone", new PhoneState.CompactSerializer());
        phoneState = context.getKeyedStateStore().getState(phoneDescriptor);
        bufferedState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("buffered-signals", new PhoneSignal.Serializer()));
        waitingDescriptor = new ListStateDescriptor<>("waiting-pings", new PhoneSignal.Serializer());
        waitingState = context.getKeyedStateStore().getListState(waitingDescriptor);
        waiting = new PriorityQueue<>(Comparator.comparingLong(Waiting::time));
        watermarkState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("watermark", Long.class));
        buffer = new ArrayList<>();
        arrived = new PhoneSignal[0];
        due = new PhoneSignal[0];
        dueKeys = new long[0];
        phones = new HashMap<>();
        dirtyPhones = new ArrayList<>();
        deadlines = new ArrayDeque<>();
        watermark = Long.MIN_VALUE;
        carrierWatermark = Long.MIN_VALUE;
        bindingsWatermark = Long.MIN_VALUE;
        bindingsIdle = false;
        if (context.isRestored()) {
            // the lowest of the subtasks' watermarks: a ping behind it was late before the restore and still is
            for (Long w : watermarkState.get()) {
                watermark = watermark == Long.MIN_VALUE ? w : Math.min(watermark, w);
            }
            TaskInfo task = getRuntimeContext().getTaskInfo();
            for (PhoneSignal s : bufferedState.get()) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(s.msisdn(),
                        task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
                        == task.getIndexOfThisSubtask()) {
                    buffer.add(s);
                }
            }
            // keyed state holds the phones as of the last write-back; the raw keyed state, those changed since
            HashMap<String, PhoneState> unsaved = readUnsaved(context);
            List<Deadline> open = new ArrayList<>();
            getKeyedStateBackend().<VoidNamespace, ValueState<PhoneState>, PhoneState>applyToAllKeys(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, phoneDescriptor, (key, state) -> {
                        PhoneState ps = state.value();
                        if (ps != null && ps.open() != null && !unsaved.containsKey(key)) {
                            Phone p = new Phone((String) key);
                            p.deadline = gapDeadline(ps.open());
                            phones.put(p.msisdn, p);
                            open.add(new Deadline(p.deadline, p));
                        }
                    });
            for (var e : unsaved.entrySet()) {
                Phone p = new Phone(e.getKey());
                p.state = e.getValue();
                p.cached = true;
                cached++;
                p.dirty = true; // still to be written back: at the first barrier unless it changes first
                p.quiet = sizes.quietBarriers();
                dirtyPhones.add(p);
                phones.put(p.msisdn, p);
                if (p.state != null && p.state.open() != null) {
                    p.deadline = gapDeadline(p.state.open());
                    open.add(new Deadline(p.deadline, p));
                }
            }
            open.sort(Comparator.comparingLong(Deadline::time).thenComparing(d -> d.phone().msisdn));
            deadlines.addAll(open);
            getKeyedStateBackend().<VoidNamespace, ListState<PhoneSignal>, List<PhoneSignal>>applyToAllKeys(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, waitingDescriptor, (key, state) -> {
                        long from = NONE_WAITING;
                        for (PhoneSignal s : state.get()) {
                            from = Math.min(from, s.time());
                        }
                        if (from != NONE_WAITING) {
                            Phone p = phone((String) key);
                            p.waitingFrom = from;
                            waiting.add(new Waiting(from, p));
                        }
                    });
        }
    }

    /**
     * The changed phones not yet written back at the checkpoint, from the raw keyed state of this subtask's key
     * groups (see {@link #writeUnsaved}); an empty state (to be cleared) as null.
     */
    private static HashMap<String, PhoneState> readUnsaved(StateInitializationContext context) throws IOException {
        HashMap<String, PhoneState> unsaved = new HashMap<>();
        PhoneState.CompactSerializer serializer = new PhoneState.CompactSerializer();
        for (KeyGroupStatePartitionStreamProvider group : context.getRawKeyedStateInputs()) {
            DataInputViewStreamWrapper in =
                    new DataInputViewStreamWrapper(new BufferedInputStream(group.getStream(), 64 * 1024));
            if (in.readInt() != UNSAVED_LAYOUT) {
                continue; // the time service's (timers on the heap when the checkpoint was taken): none here
            }
            int n = in.readInt();
            for (int k = 0; k < n; k++) {
                String msisdn = PhoneState.CompactSerializer.readShortText(in);
                unsaved.put(msisdn, in.readBoolean() ? serializer.deserialize(in) : null);
            }
        }
        return unsaved;
    }

    @Override
    public void open() throws Exception {
        super.open();
        unboundPings = getMetricGroup().counter("unboundPings");
        latePings = getMetricGroup().counter("latePings");
    }

    /** A ping (input 1): waits for the clock, or is late. */
    @Override
    public void processElement1(StreamRecord<PhoneSignal> record) throws Exception {
        PhoneSignal s = record.getValue();
        if (s.binding()) {
            throw new IllegalArgumentException("input 1 takes pings only, got the binding " + s.eventId());
        }
        if (s.time() > watermark) {
            if (buffer.size() < sizes.pingsInHeap()) {
                buffer.add(s);
            } else {
                waitInState(s);
            }
            return;
        }
        Phone p = load(s.msisdn());
        PhoneState.OpenStay open = p.state == null ? null : p.state.open();
        boolean repeatsOpenStay = open != null && open.cell() == s.cell() && s.time() >= open.from()
                && s.time() <= open.to();
        if (!repeatsOpenStay) {
            latePings.inc();
            output.collect(ContactOutputTags.LATE_PINGS, new StreamRecord<>(s, s.time()));
        }
    }

    /**
     * A ping beyond the heap buffer's limit waits in keyed state, under its phone (the current key: the record's).
     * Only the phone's earliest waiting time is indexed in heap, so memory grows with the phones, not the pings.
     */
    private void waitInState(PhoneSignal s) throws Exception {
        setCurrentKey(s.msisdn());
        waitingState.add(s);
        Phone p = phone(s.msisdn());
        if (s.time() < p.waitingFrom) {
            p.waitingFrom = s.time();
            waiting.add(new Waiting(s.time(), p));
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
        Phone p = load(s.msisdn());
        PhoneState before = p.state;
        PhoneState st = before == null ? PhoneState.EMPTY : before;
        if (b.since() > watermark) {
            set(p, st.withBinding(b)); // takes effect for the pings at or after its time
            return;
        }
        PhoneBinding inForce = st.bindingAt(watermark);
        if (inForce != null && PhoneState.BINDING_ORDER.compare(inForce, b) >= 0) {
            return; // an older binding arriving late never overrides a newer one
        }
        // behind the clock and now in force there: the pings up to the clock are attributed
        // already, and it holds for every later one
        st = st.withBinding(b).withoutBindingsBefore(watermark);
        PhoneState.OpenStay open = st.open();
        if (open != null && !open.personId().equals(b.personId())) {
            emit(p.msisdn, open, b.since());
            st = st.withOpen(null);
        }
        set(p, st);
        afterChange(p, before, st);
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
     * Idleness: an idle carrier feed changes nothing (its time is where its last batch left it) and does not reach
     * downstream; idle bindings stop holding the clock back, and their status goes downstream as their watermark does.
     */
    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index == 1) {
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
     * Applies every buffered signal and gap deadline at or before {@code w} in one pass ordered by (time, phone), so
     * stays leave in the order the timers of a process function would have fired; deadlines that the pass itself
     * creates at or before {@code w} are merged in as it goes.
     */
    private void applyUpTo(long w) throws Exception {
        arrivedCount = 0;
        arrivedMin = Long.MAX_VALUE;
        arrivedMax = Long.MIN_VALUE;
        int kept = 0;
        int size = buffer.size();
        for (int k = 0; k < size; k++) {
            PhoneSignal s = buffer.get(k);
            if (s.time() <= w) {
                arrive(s);
            } else {
                buffer.set(kept++, s);
            }
        }
        buffer.subList(kept, size).clear();
        while (!waiting.isEmpty() && waiting.peek().time() <= w) {
            Waiting e = waiting.poll();
            if (!e.current()) {
                continue;
            }
            Phone p = e.phone();
            setCurrentKey(p.msisdn);
            List<PhoneSignal> rest = new ArrayList<>();
            long from = NONE_WAITING;
            for (PhoneSignal s : waitingState.get()) {
                if (s.time() <= w) {
                    arrive(s);
                } else {
                    rest.add(s);
                    from = Math.min(from, s.time());
                }
            }
            p.waitingFrom = from;
            if (rest.isEmpty()) {
                waitingState.clear();
            } else {
                waitingState.update(rest);
                waiting.add(new Waiting(from, p));
            }
        }
        int n = arrivedCount;
        PhoneSignal[] sorted = sortDue(n, arrivedMin, arrivedMax);
        int i = 0;
        try {
            while (true) {
                Deadline d = nextDeadline(w);
                PhoneSignal next = i < n ? sorted[i] : null;
                if (d != null && (next == null || d.time() < next.time()
                        || (d.time() == next.time() && d.phone().msisdn.compareTo(next.msisdn()) <= 0))) {
                    deadlines.poll();
                    apply(d.phone(), d.time(), null); // the gap check ends the stay
                    continue;
                }
                if (next == null) {
                    return;
                }
                // every ping of one phone at one millisecond, as one step: gap check, then the ping
                PhoneSignal ping = null;
                int j = i;
                for (; j < n && sorted[j].time() == next.time() && sorted[j].msisdn().equals(next.msisdn()); j++) {
                    PhoneSignal s = sorted[j];
                    if (ping == null || (ping.cell() != s.cell() && s.eventId().compareTo(ping.eventId()) < 0)) {
                        ping = s;
                    }
                }
                apply(load(next.msisdn()), next.time(), ping);
                i = j;
            }
        } finally {
            // the arrays are reused by the next step; they must not keep this step's signals alive
            Arrays.fill(arrived, 0, n, null);
            Arrays.fill(sorted, 0, n, null);
        }
    }

    /** Adds a signal due in this step to {@link #arrived}. */
    private void arrive(PhoneSignal s) {
        if (arrivedCount == arrived.length) {
            arrived = Arrays.copyOf(arrived, Math.max(16, arrivedCount * 2));
        }
        arrived[arrivedCount++] = s;
        arrivedMin = Math.min(arrivedMin, s.time());
        arrivedMax = Math.max(arrivedMax, s.time());
    }

    /**
     * The first {@code n} signals of {@link #arrived} in (time, phone, arrival) order. Sorting objects
     * with a comparator was a sixth of the operator's time; so the time order is a primitive sort of packed keys
     * (time from the step's earliest signal, then the arrival index, which keeps equal times in arrival order), and
     * only runs of one millisecond are sorted further by phone and kind (stable). A step too long or too large for
     * the packed keys (not seen in practice) falls back to one stable sort with the full comparator.
     */
    private PhoneSignal[] sortDue(int n, long min, long max) {
        if (due.length < n) {
            due = new PhoneSignal[Math.max(n, due.length * 2)];
        }
        if (n == 0) {
            return due;
        }
        long span = max - min;
        if (n > INDEX_MASK || span < 0 || span >= (1L << (63 - INDEX_BITS))) {
            System.arraycopy(arrived, 0, due, 0, n);
            Arrays.sort(due, 0, n, IN_TIME_ORDER);
            return due;
        }
        if (dueKeys.length < n) {
            dueKeys = new long[Math.max(n, dueKeys.length * 2)];
        }
        for (int k = 0; k < n; k++) {
            dueKeys[k] = ((arrived[k].time() - min) << INDEX_BITS) | k;
        }
        Arrays.sort(dueKeys, 0, n);
        for (int k = 0; k < n; k++) {
            due[k] = arrived[(int) (dueKeys[k] & INDEX_MASK)];
        }
        int from = 0;
        for (int k = 1; k <= n; k++) {
            if (k == n || due[k].time() != due[from].time()) {
                if (k - from > 1) {
                    Arrays.sort(due, from, k, SAME_TIME_ORDER);
                }
                from = k;
            }
        }
        return due;
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

    private void apply(Phone p, long t, PhoneSignal ping) throws Exception {
        if (!p.cached) {
            load(p.msisdn);
        }
        PhoneState before = p.state;
        PhoneState st = before;
        if (st != null && st.open() != null && t - st.open().to() > rules.stayGapMillis()) {
            st = close(p.msisdn, st, t);
        }
        if (ping != null) {
            st = applyPing(p.msisdn, st, ping, t);
        }
        set(p, st);
        afterChange(p, before, st);
    }

    private PhoneState applyPing(String msisdn, PhoneState st, PhoneSignal p, long t) {
        PhoneBinding b = st == null ? null : st.bindingAt(t);
        PhoneState.OpenStay open = st == null ? null : st.open();
        if (b == null) {
            unboundPings.inc();
            if (open != null) { // the phone's binding was dropped from the history (see PhoneState.MAX_BINDINGS)
                emit(msisdn, open, t);
                return st.withOpen(null);
            }
            return st;
        }
        st = st.withoutBindingsBefore(t);
        if (open != null && open.cell() == p.cell() && open.personId().equals(b.personId())) {
            return st.withOpen(open.extendedTo(t, p.eventId()));
        }
        if (open != null) {
            emit(msisdn, open, t); // another cell, or the phone is someone else's now
        }
        return st.withOpen(new PhoneState.OpenStay(b.personId(), p.cell(), t, t, p.eventId(), p.eventId(), 1));
    }

    private PhoneState close(String msisdn, PhoneState st, long t) {
        emit(msisdn, st.open(), t);
        return st.withOpen(null);
    }

    private void emit(String msisdn, PhoneState.OpenStay open, long t) {
        if (open.to() > open.from()) {
            output.collect(new StreamRecord<>(open.toStay(msisdn), t));
        }
    }

    /** Keeps the phone's gap deadline in step with its open stay. */
    private void afterChange(Phone p, PhoneState before, PhoneState after) {
        PhoneState.OpenStay was = before == null ? null : before.open();
        PhoneState.OpenStay now = after == null ? null : after.open();
        if (now == null) {
            p.deadline = NO_DEADLINE;
        } else if (was == null || was.to() != now.to() || p.deadline == NO_DEADLINE) {
            p.deadline = gapDeadline(now);
            deadlines.add(new Deadline(p.deadline, p));
        }
    }

    /** The phone's heap entry, made if there is none (its state is not read: see {@link #load}). */
    private Phone phone(String msisdn) {
        return phones.computeIfAbsent(msisdn, Phone::new);
    }

    /** When an open stay ends by the gap rule unless a ping comes first: its last ping + the gap + 1 ms. */
    private long gapDeadline(PhoneState.OpenStay open) {
        return open.to() + rules.stayGapMillis() + 1;
    }

    /** The phone, its state read from keyed state unless cached. */
    private Phone load(String msisdn) throws Exception {
        Phone p = phone(msisdn);
        if (!p.cached) {
            setCurrentKey(msisdn);
            p.state = phoneState.value();
            p.cached = true;
            cached++;
        }
        return p;
    }

    private void set(Phone p, PhoneState st) {
        if (st != p.state) {
            p.state = st;
            p.quiet = 0;
            if (!p.dirty) {
                p.dirty = true;
                dirtyPhones.add(p);
            }
        }
    }

    private void writeBack(Phone p) throws Exception {
        if (!p.dirty) {
            return;
        }
        setCurrentKey(p.msisdn);
        if (p.state == null || p.state.isEmpty()) {
            phoneState.clear();
        } else {
            phoneState.update(p.state);
        }
        p.dirty = false;
    }

    /**
     * Writes every changed phone to keyed state; above the capacity, empties the cache too. Only the phones changed
     * since the last barrier are visited (they are listed as they change): with a checkpoint every second and a cache
     * of a million phones, walking the whole cache at every barrier would cost more than a quiet second's writes.
     */
    private void writeBackAll() throws Exception {
        for (Phone p : dirtyPhones) {
            writeBack(p);
        }
        dirtyPhones.clear();
        if (cached <= sizes.phoneCache()) {
            return;
        }
        Iterator<Phone> it = phones.values().iterator();
        while (it.hasNext()) {
            Phone p = it.next();
            if (p.cached) {
                p.state = null;
                p.cached = false;
                cached--;
            }
            if (p.deadline == NO_DEADLINE && p.waitingFrom == NONE_WAITING) {
                it.remove();
            }
        }
    }

    /**
     * Writes back to keyed state the changed phones that have not changed again for {@code quietBarriers} barriers;
     * {@link #snapshotState} carries the others in raw keyed state. A phone that pings at every checkpoint (a replay,
     * a day of carrier data arriving at once) is serialized once per checkpoint instead of being put, flushed and
     * compacted by RocksDB each time, and a phone that pings once in a while is written back once, a barrier later.
     * Everything is written back when the cache is over its capacity (it is emptied then) and when Flink keeps
     * timers in raw keyed state.
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        if (!customRawKeyedState || sizes.quietBarriers() == 0 || cached > sizes.phoneCache()) {
            writeBackAll();
            return;
        }
        int kept = 0;
        int size = dirtyPhones.size();
        for (int i = 0; i < size; i++) {
            Phone p = dirtyPhones.get(i);
            if (p.quiet >= sizes.quietBarriers()) {
                writeBack(p);
            } else {
                p.quiet++;
                dirtyPhones.set(kept++, p);
            }
        }
        dirtyPhones.subList(kept, size).clear();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        bufferedState.update(buffer);
        watermarkState.update(List.of(watermark));
        if (customRawKeyedState && !dirtyPhones.isEmpty()) {
            writeUnsaved(context.getRawKeyedOperatorStateOutput());
        }
    }

    /**
     * The changed phones not yet written back, as raw keyed state: per key group (ascending), the layout
     * ({@link #UNSAVED_LAYOUT}), the count, then per phone its msisdn, whether it has a state, and the state in the
     * compact format. One sequential write instead of a RocksDB put, flush and compaction per phone: a phone that
     * changes at every checkpoint costs a few dozen bytes of each checkpoint, not a put each time.
     */
    private void writeUnsaved(KeyedStateCheckpointOutputStream out) throws IOException {
        int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        int n = dirtyPhones.size();
        long[] order = new long[n]; // key group, then the index in dirtyPhones
        for (int k = 0; k < n; k++) {
            Phone p = dirtyPhones.get(k);
            if (p.keyGroup < 0) {
                p.keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(p.msisdn, maxParallelism);
            }
            order[k] = ((long) p.keyGroup << 32) | k;
        }
        Arrays.sort(order);
        PhoneState.CompactSerializer serializer = new PhoneState.CompactSerializer();
        DataOutputSerializer buf = new DataOutputSerializer(64 * 1024);
        int i = 0;
        while (i < n) {
            int group = (int) (order[i] >>> 32);
            int j = i;
            while (j < n && (int) (order[j] >>> 32) == group) {
                j++;
            }
            out.startNewKeyGroup(group);
            buf.writeInt(UNSAVED_LAYOUT);
            buf.writeInt(j - i);
            for (int k = i; k < j; k++) {
                Phone p = dirtyPhones.get((int) order[k]);
                PhoneState.CompactSerializer.writeShortText(p.msisdn, buf);
                boolean present = p.state != null && !p.state.isEmpty();
                buf.writeBoolean(present);
                if (present) {
                    serializer.serialize(p.state, buf);
                }
                if (buf.length() >= 60 * 1024) {
                    out.write(buf.getSharedBuffer(), 0, buf.length());
                    buf.clear();
                }
            }
            out.write(buf.getSharedBuffer(), 0, buf.length());
            buf.clear();
            i = j;
        }
    }

    @Override
    public void finish() throws Exception {
        writeBackAll();
        super.finish();
    }

    /** Signals waiting for the watermark in heap (tests: end of life). */
    int bufferedSignals() {
        return buffer.size();
    }

    /** Phones with pings waiting in keyed state (tests: end of life). */
    int phonesWaitingInState() {
        return (int) phones.values().stream().filter(p -> p.waitingFrom != NONE_WAITING).count();
    }

    /** Phones with an open stay whose gap deadline is indexed (tests: end of life). */
    int openStays() {
        return (int) phones.values().stream().filter(p -> p.deadline != NO_DEADLINE).count();
    }
}
