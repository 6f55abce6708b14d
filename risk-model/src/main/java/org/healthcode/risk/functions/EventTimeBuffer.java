package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * A keyed function's hold-until-watermark buffer, so that its results follow event time, never arrival order: a
 * record ahead of the watermark waits with an event-time timer at its time; when the timer fires, the records of that
 * time come out in id order. A record already behind the watermark (late, within the allowed lateness checked
 * upstream) is not held: the caller applies it at once.
 *
 * <p>State: {@code pending} holds each time's records (time -> list), {@code pending-at} each held id's time (for
 * replacing and removing by id), {@code pending-count} how many are held (for {@link #isEmpty}). A timer reads and
 * deletes its own time's entry, so no operation iterates a map: on RocksDB a map iterator seeks from the key's prefix
 * and walks past every entry and every tombstone earlier removals left there, which made a timer's cost grow with
 * everything the key had ever held. End of life: a record leaves when its timer takes it or it is removed; the count
 * is cleared when nothing is held.
 *
 * <p>The caller calls {@link #takeDue} from every event-time timer of the key: timers fire in time order and each held
 * record has one at its time, so each record comes out at its own time, after the records of earlier times.
 */
public final class EventTimeBuffer<T> {
    private final MapState<Long, List<T>> byTime;
    private final MapState<String, Long> timeOf;
    private final ValueState<Integer> count;
    private final Function<T, String> id;
    private final ToLongFunction<T> time;
    private final Comparator<T> order;

    private EventTimeBuffer(
            MapState<Long, List<T>> byTime,
            MapState<String, Long> timeOf,
            ValueState<Integer> count,
            Function<T, String> id,
            ToLongFunction<T> time) {
        this.byTime = byTime;
        this.timeOf = timeOf;
        this.count = count;
        this.id = id;
        this.time = time;
        this.order = Comparator.comparing(id);
    }

    /** The buffer of a keyed function, in its {@code open}, for records of {@code type}. */
    public static <T> EventTimeBuffer<T> open(
            RuntimeContext context, TypeInformation<T> type, Function<T, String> id, ToLongFunction<T> time) {
        return new EventTimeBuffer<>(
                context.getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.LIST(type))),
                context.getMapState(new MapStateDescriptor<>("pending-at", Types.STRING, Types.LONG)),
                context.getState(new ValueStateDescriptor<>("pending-count", Types.INT)),
                id,
                time);
    }

    /**
     * Holds {@code r} (replacing a held record of the same id, at whatever time) with a timer at its time when the
     * watermark has not passed it, and says so; false when the watermark has passed it and the caller applies it now.
     */
    public boolean holdIfAhead(T r, TimerService timers) throws Exception {
        long t = time.applyAsLong(r);
        if (t <= timers.currentWatermark()) {
            return false;
        }
        String key = id.apply(r);
        Integer n = count.value();
        int held = n == null ? 0 : n;
        if (held > 0) {
            Long before = timeOf.get(key);
            if (before != null && dropFrom(before, key)) {
                held--;
            }
        }
        List<T> at = byTime.get(t);
        List<T> next = new ArrayList<>(at == null ? 1 : at.size() + 1);
        if (at != null) {
            next.addAll(at);
        }
        next.add(r);
        byTime.put(t, next);
        timeOf.put(key, t);
        count.update(held + 1);
        timers.registerEventTimeTimer(t);
        return true;
    }

    /**
     * Takes out the held records at or before {@code timestamp}, in (time, id) order: those of time {@code timestamp}
     * (earlier ones came out at their own timers, see the class comment).
     */
    public List<T> takeDue(long timestamp) throws Exception {
        Integer n = count.value();
        if (n == null) {
            return List.of();
        }
        List<T> at = byTime.get(timestamp);
        if (at == null) {
            return List.of();
        }
        byTime.remove(timestamp);
        for (T r : at) {
            timeOf.remove(id.apply(r));
        }
        setCount(n - at.size());
        List<T> due = new ArrayList<>(at);
        due.sort(order);
        return due;
    }

    /** True while a record of this id is held. */
    public boolean contains(String recordId) throws Exception {
        return count.value() != null && timeOf.contains(recordId);
    }

    /** Drops the held record of this id, if any (its timer fires and finds nothing). */
    public void remove(String recordId) throws Exception {
        Integer n = count.value();
        if (n == null) {
            return;
        }
        Long at = timeOf.get(recordId);
        if (at != null) {
            timeOf.remove(recordId);
            if (dropFrom(at, recordId)) {
                setCount(n - 1);
            }
        }
    }

    /** True when nothing is held for the current key. */
    public boolean isEmpty() throws Exception {
        return count.value() == null;
    }

    /** Removes the record of {@code key} from time {@code t}'s list; true if it was there. */
    private boolean dropFrom(long t, String key) throws Exception {
        List<T> at = byTime.get(t);
        if (at == null) {
            return false;
        }
        List<T> rest = new ArrayList<>(at.size());
        for (T r : at) {
            if (!id.apply(r).equals(key)) {
                rest.add(r);
            }
        }
        if (rest.size() == at.size()) {
            return false;
        }
        if (rest.isEmpty()) {
            byTime.remove(t);
        } else {
            byTime.put(t, rest);
        }
        return true;
    }

    private void setCount(int held) throws Exception {
        if (held > 0) {
            count.update(held);
        } else {
            count.clear();
        }
    }
}
