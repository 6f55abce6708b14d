package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keyed by phone (msisdn): turns carrier pings into {@link Stay}s attributed to the person the phone was bound to at
 * the ping's time.
 *
 * <p>The rules: pings and identity bindings wait until the watermark passes their time, then are applied in
 * event-time order (bindings before pings of the same millisecond), so arrival order does not matter. Consecutive
 * pings in one cell form a stay from the first to the last; a gap longer than {@code stayGapMillis}, a ping in another
 * cell, or a re-binding of the phone ends it. A stay is emitted when it ends (when the watermark passes the ping or
 * binding that ends it, or its last ping + gap + 1 ms); stays of a single ping (zero length) are not emitted because
 * they cannot overlap anything. Two pings of one phone at the same millisecond: the same cell is a duplicate (the
 * first to arrive counts); different cells keep the smaller event id. Pings with no binding yet are dropped and
 * counted ({@code unboundPings}). Pings behind the watermark go to {@link ContactOutputTags#LATE_PINGS} unless they
 * repeat a ping of the open stay.
 *
 * <p>Why an operator and not a process function: this is the one operator that sees every ping, and a timer plus
 * five to eight RocksDB reads and writes per ping made it the bottleneck (docs/contacts.md). So, per watermark step
 * rather than per ping:
 * <ul>
 *   <li>pings and bindings ahead of the watermark wait in a heap buffer (no state access, no timer), applied in one
 *       time-ordered pass when a watermark passes them;</li>
 *   <li>a phone's binding and open stay are one state entry ({@link PhoneState}, hand-written serializer) read
 *       through a bounded write-behind cache: written back when evicted and before every checkpoint barrier;</li>
 *   <li>the gap that ends a silent phone's stay is found in a heap index of deadlines instead of a timer per ping.</li>
 * </ul>
 * Fault tolerance: before each barrier the cache is written to keyed state and the buffer to union operator state
 * (each subtask keeps the signals of its own key groups on restore, so rescaling works); the deadline index is
 * rebuilt from keyed state on restore.
 *
 * <p>State and its end of life: {@code phone} one entry per phone, the binding replaced by the next binding
 * (identity data lives as long as the phone) and the open stay until it ends; {@code buffered-signals} until the
 * watermark passes them. Memory: the buffer holds the signals between the watermark and the newest ping (pings/s x
 * watermark lag), the deadline index one entry per phone with an open stay, the cache up to its capacity.
 */
public class PhoneStayBuilder extends AbstractStreamOperator<Stay> implements OneInputStreamOperator<PhoneSignal, Stay> {

    /** Default capacity of the write-behind cache, in phones per subtask (about 250 bytes each). */
    public static final int DEFAULT_CACHE_CAPACITY = 1_000_000;

    private static final Comparator<Due> IN_TIME_ORDER = Comparator.comparingLong(Due::time)
            .thenComparing(Due::msisdn).thenComparingInt(Due::order);

    private final ContactRules rules;
    private final int cacheCapacity;

    private transient ValueStateDescriptor<PhoneState> phoneDescriptor;
    private transient ValueState<PhoneState> phoneState;
    private transient ListState<PhoneSignal> bufferedState;
    private transient List<PhoneSignal> buffer;
    private transient LinkedHashMap<String, Cached> cache;
    private transient PriorityQueue<Deadline> deadlines;
    private transient Map<String, Long> deadlineOf;
    private transient long watermark;
    private transient Counter unboundPings;
    private transient Counter latePings;

    public PhoneStayBuilder(ContactRules rules) {
        this(rules, DEFAULT_CACHE_CAPACITY);
    }

    public PhoneStayBuilder(ContactRules rules, int cacheCapacity) {
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("cacheCapacity must be at least 1, was " + cacheCapacity);
        }
        this.rules = rules.validated();
        this.cacheCapacity = cacheCapacity;
    }

    /** A phone's state as last read or written, and whether it still has to be written back. */
    private static final class Cached {
        PhoneState state;
        boolean dirty;

        Cached(PhoneState state) {
            this.state = state;
        }
    }

    /** When a phone's open stay ends by the gap rule unless a ping comes first (entries may be stale). */
    private record Deadline(long time, String msisdn) {
    }

    /** A signal to apply in a watermark step; bindings (order 1) before pings (order 2) of the same millisecond. */
    private record Due(long time, String msisdn, int order, PhoneSignal signal) {
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        phoneDescriptor = new ValueStateDescriptor<>("phone", new PhoneState.Serializer());
        phoneState = context.getKeyedStateStore().getState(phoneDescriptor);
        bufferedState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("buffered-signals", new PhoneSignal.Serializer()));
        buffer = new ArrayList<>();
        cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                if (size() <= cacheCapacity) {
                    return false;
                }
                writeBack(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
        deadlines = new PriorityQueue<>(Comparator.comparingLong(Deadline::time).thenComparing(Deadline::msisdn));
        deadlineOf = new HashMap<>();
        watermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            TaskInfo task = getRuntimeContext().getTaskInfo();
            for (PhoneSignal s : bufferedState.get()) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(s.msisdn(),
                        task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
                        == task.getIndexOfThisSubtask()) {
                    buffer.add(s);
                }
            }
            getKeyedStateBackend().<VoidNamespace, ValueState<PhoneState>, PhoneState>applyToAllKeys(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, phoneDescriptor, (key, state) -> {
                        PhoneState ps = state.value();
                        if (ps != null && ps.open() != null) {
                            scheduleGap((String) key, ps.open());
                        }
                    });
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        unboundPings = getMetricGroup().counter("unboundPings");
        latePings = getMetricGroup().counter("latePings");
    }

    @Override
    public void processElement(StreamRecord<PhoneSignal> record) throws Exception {
        PhoneSignal s = record.getValue();
        if (s.time() > watermark) {
            buffer.add(s);
            return;
        }
        Cached c = load(s.msisdn());
        if (s.binding()) {
            // Pings up to the watermark are already attributed; the binding holds for every later ping.
            PhoneState before = c.state;
            set(c, applyBinding(s.msisdn(), c.state, new PhoneBinding(s.personId(), s.time(), s.eventId()),
                    record.getTimestamp()));
            afterChange(s.msisdn(), before, c.state);
            return;
        }
        PhoneState.OpenStay open = c.state == null ? null : c.state.open();
        boolean repeatsOpenStay = open != null && open.cell() == s.cell() && s.time() >= open.from()
                && s.time() <= open.to();
        if (!repeatsOpenStay) {
            latePings.inc();
            output.collect(ContactOutputTags.LATE_PINGS, new StreamRecord<>(s, record.getTimestamp()));
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > watermark) {
            watermark = mark.getTimestamp();
            applyUpTo(watermark);
        }
        super.processWatermark(mark);
    }

    /**
     * Applies every buffered signal and gap deadline at or before {@code w} in one pass ordered by (time, phone), so
     * stays leave in the order the timers of a process function would have fired; deadlines that the pass itself
     * creates at or before {@code w} are merged in as it goes.
     */
    private void applyUpTo(long w) throws Exception {
        List<Due> due = new ArrayList<>();
        int kept = 0;
        for (PhoneSignal s : buffer) {
            if (s.time() <= w) {
                due.add(new Due(s.time(), s.msisdn(), s.binding() ? 1 : 2, s));
            } else {
                buffer.set(kept++, s);
            }
        }
        buffer.subList(kept, buffer.size()).clear();
        due.sort(IN_TIME_ORDER); // stable: equal signals stay in arrival order
        int i = 0;
        while (true) {
            Deadline d = nextDeadline(w);
            Due next = i < due.size() ? due.get(i) : null;
            if (d != null && (next == null || d.time() < next.time()
                    || (d.time() == next.time() && d.msisdn().compareTo(next.msisdn()) <= 0))) {
                deadlines.poll();
                apply(d.msisdn(), d.time(), null, null); // the gap check ends the stay
                continue;
            }
            if (next == null) {
                return;
            }
            // everything of one phone at one millisecond, as one step: gap check, binding, ping
            PhoneBinding bind = null;
            PhoneSignal ping = null;
            int j = i;
            for (; j < due.size() && due.get(j).time() == next.time() && due.get(j).msisdn().equals(next.msisdn()); j++) {
                PhoneSignal s = due.get(j).signal();
                if (s.binding()) {
                    if (bind == null || s.eventId().compareTo(bind.eventId()) > 0) {
                        bind = new PhoneBinding(s.personId(), s.time(), s.eventId());
                    }
                } else if (ping == null || (ping.cell() != s.cell() && s.eventId().compareTo(ping.eventId()) < 0)) {
                    ping = s;
                }
            }
            apply(next.msisdn(), next.time(), bind, ping);
            i = j;
        }
    }

    /** The earliest current gap deadline at or before {@code w} (stale entries are dropped), or null. */
    private Deadline nextDeadline(long w) {
        while (!deadlines.isEmpty() && deadlines.peek().time() <= w) {
            Deadline d = deadlines.peek();
            Long current = deadlineOf.get(d.msisdn());
            if (current != null && current == d.time()) {
                return d;
            }
            deadlines.poll();
        }
        return null;
    }

    private void apply(String msisdn, long t, PhoneBinding bind, PhoneSignal ping) throws Exception {
        Cached c = load(msisdn);
        PhoneState before = c.state;
        PhoneState st = before;
        if (st != null && st.open() != null && t - st.open().to() > rules.stayGapMillis()) {
            st = close(msisdn, st, t);
        }
        if (bind != null) {
            st = applyBinding(msisdn, st, bind, t);
        }
        if (ping != null) {
            st = applyPing(msisdn, st, ping, t);
        }
        set(c, st);
        afterChange(msisdn, before, st);
    }

    private PhoneState applyBinding(String msisdn, PhoneState st, PhoneBinding b, long t) {
        PhoneBinding current = st == null ? null : st.binding();
        if (current != null && current.since() > b.since()) {
            return st; // an older binding arriving late never overrides a newer one
        }
        PhoneState.OpenStay open = st == null ? null : st.open();
        if (open != null && !open.personId().equals(b.personId())) {
            emit(msisdn, open, t);
            open = null;
        }
        return new PhoneState(b, open);
    }

    private PhoneState applyPing(String msisdn, PhoneState st, PhoneSignal p, long t) {
        PhoneBinding b = st == null ? null : st.binding();
        if (b == null) {
            unboundPings.inc();
            return st;
        }
        PhoneState.OpenStay open = st.open();
        if (open != null && open.cell() == p.cell() && open.personId().equals(b.personId())) {
            return new PhoneState(b, open.extendedTo(t, p.eventId()));
        }
        if (open != null) {
            emit(msisdn, open, t);
        }
        return new PhoneState(b, new PhoneState.OpenStay(b.personId(), p.cell(), t, t, p.eventId(), p.eventId(), 1));
    }

    private PhoneState close(String msisdn, PhoneState st, long t) {
        emit(msisdn, st.open(), t);
        return new PhoneState(st.binding(), null);
    }

    private void emit(String msisdn, PhoneState.OpenStay open, long t) {
        if (open.to() > open.from()) {
            output.collect(new StreamRecord<>(open.toStay(msisdn), t));
        }
    }

    /** Keeps the gap deadline index in step with the phone's open stay. */
    private void afterChange(String msisdn, PhoneState before, PhoneState after) {
        PhoneState.OpenStay was = before == null ? null : before.open();
        PhoneState.OpenStay now = after == null ? null : after.open();
        if (now == null) {
            if (was != null) {
                deadlineOf.remove(msisdn);
            }
        } else if (was == null || was.to() != now.to() || !deadlineOf.containsKey(msisdn)) {
            scheduleGap(msisdn, now);
        }
    }

    private void scheduleGap(String msisdn, PhoneState.OpenStay open) {
        long d = open.to() + rules.stayGapMillis() + 1;
        deadlineOf.put(msisdn, d);
        deadlines.add(new Deadline(d, msisdn));
    }

    private Cached load(String msisdn) throws Exception {
        Cached c = cache.get(msisdn);
        if (c == null) {
            setCurrentKey(msisdn);
            c = new Cached(phoneState.value());
            cache.put(msisdn, c);
        }
        return c;
    }

    private static void set(Cached c, PhoneState st) {
        if (st != c.state) {
            c.state = st;
            c.dirty = true;
        }
    }

    private void writeBack(String msisdn, Cached c) {
        if (!c.dirty) {
            return;
        }
        setCurrentKey(msisdn);
        try {
            if (c.state == null || c.state.isEmpty()) {
                phoneState.clear();
            } else {
                phoneState.update(c.state);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not write the state of phone " + msisdn, e);
        }
        c.dirty = false;
    }

    private void writeBackAll() {
        for (Map.Entry<String, Cached> e : cache.entrySet()) {
            writeBack(e.getKey(), e.getValue());
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        writeBackAll();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        bufferedState.update(buffer);
    }

    @Override
    public void finish() throws Exception {
        writeBackAll();
        super.finish();
    }

    /** Signals waiting for the watermark (tests: end of life). */
    int bufferedSignals() {
        return buffer.size();
    }

    /** Phones with an open stay whose gap deadline is indexed (tests: end of life). */
    int openStays() {
        return deadlineOf.size();
    }
}
