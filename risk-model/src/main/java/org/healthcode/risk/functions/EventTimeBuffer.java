package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;

/**
 * A keyed function's hold-until-watermark buffer, so that its results follow event time, never arrival order: a
 * record ahead of the watermark waits in the map state {@code pending} (by id) with an event-time timer at its time;
 * when the timer fires, the records the watermark has passed come out in (time, id) order. A record already behind
 * the watermark (late, within the allowed lateness checked upstream) is not held: the caller applies it at once.
 *
 * <p>Due records are removed by key after one pass over the map, not through its iterator: on RocksDB that is one
 * delete each and no second iterator (as {@code clear()} or {@code isEmpty()} would open), and on the heap backend the
 * last removal drops the emptied map. State end of life: an entry leaves when its timer takes it.
 */
public final class EventTimeBuffer<T> {
    private final MapState<String, T> pending;
    private final Function<T, String> id;
    private final ToLongFunction<T> time;
    private final Comparator<T> order;

    private EventTimeBuffer(MapState<String, T> pending, Function<T, String> id, ToLongFunction<T> time) {
        this.pending = pending;
        this.id = id;
        this.time = time;
        this.order = Comparator.comparingLong(time).thenComparing(id);
    }

    /** The buffer of a keyed function, in its {@code open}: map state {@code pending} of {@code type} by id. */
    public static <T> EventTimeBuffer<T> open(
            RuntimeContext context, TypeInformation<T> type, Function<T, String> id, ToLongFunction<T> time) {
        return new EventTimeBuffer<>(
                context.getMapState(new MapStateDescriptor<>("pending", Types.STRING, type)), id, time);
    }

    /**
     * Holds {@code r} (replacing a held record of the same id) with a timer at its time when the watermark has not
     * passed it, and says so; false when the watermark has passed it and the caller applies it now.
     */
    public boolean holdIfAhead(T r, TimerService timers) throws Exception {
        long t = time.applyAsLong(r);
        if (t <= timers.currentWatermark()) {
            return false;
        }
        pending.put(id.apply(r), r);
        timers.registerEventTimeTimer(t);
        return true;
    }

    /** Takes out the held records at or before {@code timestamp}, in (time, id) order. */
    public List<T> takeDue(long timestamp) throws Exception {
        List<T> due = new ArrayList<>();
        for (T r : pending.values()) {
            if (time.applyAsLong(r) <= timestamp) {
                due.add(r);
            }
        }
        for (T r : due) {
            pending.remove(id.apply(r));
        }
        due.sort(order);
        return due;
    }

    /** True while a record of this id is held. */
    public boolean contains(String recordId) throws Exception {
        return pending.contains(recordId);
    }

    /** Drops the held record of this id, if any (its timer fires and finds nothing). */
    public void remove(String recordId) throws Exception {
        pending.remove(recordId);
    }

    /** True when nothing is held for the current key. */
    public boolean isEmpty() throws Exception {
        return pending.isEmpty();
    }
}
