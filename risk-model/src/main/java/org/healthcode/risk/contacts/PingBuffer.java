package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.ListState;

/**
 * Pings waiting for the phone side's clock: in a heap list up to {@code heapLimit} (no state access, no timer), the
 * rest in keyed state per phone with only each phone's earliest waiting time indexed in heap (memory grows with the
 * phones, not the pings: a day's backlog of every feed, read from the start, had the carrier far ahead and 18 M pings
 * in heap and in every checkpoint at 1 M persons). When the clock moves, {@link #due} hands back every ping at or
 * before it in (time, phone, arrival) order.
 */
final class PingBuffer {
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

    private final int heapLimit;
    private final PhoneCache phones;
    /** Pings waiting for the clock beyond the heap limit, per phone (the current key: set through {@link #setKey}). */
    private final ListState<PhoneSignal> waitingState;

    private final Consumer<String> setKey;
    private final List<PhoneSignal> buffer = new ArrayList<>();
    /** The phones with pings in {@link #waitingState}, by their earliest (stale entries skipped). */
    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(Comparator.comparingLong(Waiting::time));

    private PhoneSignal[] arrived = new PhoneSignal[0];
    /** The signals of the current step in {@link #arrived}, and their earliest and latest time. */
    private int arrivedCount;

    private long arrivedMin;
    private long arrivedMax;
    private PhoneSignal[] due = new PhoneSignal[0];
    private long[] dueKeys = new long[0];

    /** A phone with pings waiting in keyed state, the earliest at {@code time} (stale once that has changed). */
    private record Waiting(long time, PhoneEntry phone) {
        boolean current() {
            return phone.waitingFrom == time;
        }
    }

    PingBuffer(int heapLimit, PhoneCache phones, ListState<PhoneSignal> waitingState, Consumer<String> setKey) {
        this.heapLimit = heapLimit;
        this.phones = phones;
        this.waitingState = waitingState;
        this.setKey = setKey;
    }

    /** A ping ahead of the clock: in heap while there is room, else in keyed state under its phone. */
    void add(PhoneSignal s) throws Exception {
        if (buffer.size() < heapLimit) {
            buffer.add(s);
            return;
        }
        setKey.accept(s.msisdn());
        waitingState.add(s);
        PhoneEntry p = phones.entry(s.msisdn());
        if (s.time() < p.waitingFrom) {
            p.waitingFrom = s.time();
            waiting.add(new Waiting(s.time(), p));
        }
    }

    /**
     * Takes every waiting ping at or before {@code w} out of the buffer and sorts them in (time, phone, arrival)
     * order: the first {@link #dueCount()} entries of the array returned. {@link #release} must follow.
     */
    PhoneSignal[] due(long w) throws Exception {
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
            PhoneEntry p = e.phone();
            setKey.accept(p.msisdn);
            List<PhoneSignal> rest = new ArrayList<>();
            long from = PhoneEntry.NONE_WAITING;
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
        return sortDue(arrivedCount, arrivedMin, arrivedMax);
    }

    /** How many pings the last {@link #due} returned. */
    int dueCount() {
        return arrivedCount;
    }

    /** The arrays are reused by the next step; they must not keep this step's pings alive. */
    void release() {
        Arrays.fill(arrived, 0, arrivedCount, null);
        Arrays.fill(due, 0, arrivedCount, null);
    }

    /** Adds a ping due in this step to {@link #arrived}. */
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
     * only runs of one millisecond are sorted further by phone (stable). A step too long or too large for the packed
     * keys (not seen in practice) falls back to one stable sort with the full comparator.
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

    /** The pings waiting in heap, for a checkpoint (in union operator state). */
    List<PhoneSignal> inHeap() {
        return buffer;
    }

    /** On restore: a ping of this subtask's key groups that waited in heap. */
    void restoreInHeap(PhoneSignal s) {
        buffer.add(s);
    }

    /** On restore: pings of {@code msisdn} waiting in keyed state. */
    void restoreWaiting(String msisdn, Iterable<PhoneSignal> pings) {
        long from = PhoneEntry.NONE_WAITING;
        for (PhoneSignal s : pings) {
            from = Math.min(from, s.time());
        }
        if (from != PhoneEntry.NONE_WAITING) {
            PhoneEntry p = phones.entry(msisdn);
            p.waitingFrom = from;
            waiting.add(new Waiting(from, p));
        }
    }

    /** Pings waiting in heap (tests: end of life). */
    int inHeapCount() {
        return buffer.size();
    }
}
