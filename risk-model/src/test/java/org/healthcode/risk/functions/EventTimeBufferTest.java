package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Held until the watermark passes, then in (time, id) order whatever the arrival order; late ones pass at once; a
 * record replaces or withdraws the held one of its id at any time. On the heap and on RocksDB (whose map state
 * behaves differently: byte-ordered keys, deletes that leave tombstones).
 */
class EventTimeBufferTest {

    /**
     * Input {@code (name, time)}: the record's id is the name up to {@code #} (so {@code a#2} replaces {@code a#1});
     * {@code -a} withdraws id {@code a}; {@code ?} asks whether anything is held. Emits the names as records come out
     * of the buffer, {@code late:name} for one the watermark had already passed.
     */
    private static final class Echo extends KeyedProcessFunction<String, Tuple2<String, Long>, String> {
        private transient EventTimeBuffer<Tuple2<String, Long>> pending;

        @Override
        public void open(OpenContext openContext) {
            pending = EventTimeBuffer.open(
                    getRuntimeContext(), Types.TUPLE(Types.STRING, Types.LONG), r -> r.f0.split("#", 2)[0], r -> r.f1);
        }

        @Override
        public void processElement(Tuple2<String, Long> r, Context ctx, Collector<String> out) throws Exception {
            if (r.f0.equals("?")) {
                out.collect(pending.isEmpty() ? "empty" : "held");
            } else if (r.f0.startsWith("-")) {
                String withdrawn = r.f0.substring(1);
                out.collect((pending.contains(withdrawn) ? "withdrawn:" : "absent:") + withdrawn);
                pending.remove(withdrawn);
            } else if (!pending.holdIfAhead(r, ctx.timerService())) {
                out.collect("late:" + r.f0);
            }
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
            for (Tuple2<String, Long> r : pending.takeDue(timestamp)) {
                out.collect(r.f0);
            }
        }
    }

    static Stream<String> backends() {
        return Stream.of("heap", "rocksdb");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> harness(String backend)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Echo()), r -> "k", Types.STRING);
        StateBackend b = backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
        h.setStateBackend(b);
        h.open();
        return h;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h, String name, long time)
            throws Exception {
        h.processElement(new StreamRecord<>(Tuple2.of(name, time), time));
    }

    /** Keys with an entry in any of the buffer's states (both backends answer this, unlike numKeyedStateEntries). */
    private static long keysHolding(KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h) {
        KeyedStateBackend<Object> states = h.getOperator().getKeyedStateBackend();
        return states.getKeys(List.of("pending", "pending-at", "pending-count"), VoidNamespace.INSTANCE)
                .count();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void recordsComeOutInEventTimeOrderOnceTheWatermarkPassesThem(String backend) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h = harness(backend)) {
            send(h, "c", 30);
            send(h, "b", 10);
            send(h, "a", 10);
            send(h, "d", 50);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(30));
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c");
            send(h, "e", 20);
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c", "late:e");
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c", "late:e", "d");
            assertThat(keysHolding(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aRecordReplacesOrWithdrawsTheHeldOneOfItsIdAtAnyTime(String backend) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h = harness(backend)) {
            send(h, "?", 0);
            send(h, "x#1", 20);
            send(h, "c", 20);
            send(h, "a#1", 10); // replaced below by a later version
            send(h, "b", 20);
            send(h, "x#2", 20); // same id, same time: the newer one stays
            send(h, "a#2", 40);
            send(h, "w", 30); // withdrawn below; its timer then finds nothing
            send(h, "v", 45);
            send(h, "-w", 0);
            send(h, "-nobody", 0);
            send(h, "?", 0);
            assertThat(h.extractOutputValues()).containsExactly("empty", "withdrawn:w", "absent:nobody", "held");

            h.processWatermark(new Watermark(35));
            assertThat(h.extractOutputValues())
                    .containsExactly("empty", "withdrawn:w", "absent:nobody", "held", "b", "c", "x#2");
            send(h, "f", 15); // late: applied at once, never held
            send(h, "-v", 0); // withdraws a record held at another time than the last one taken
            send(h, "u", 40);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            send(h, "?", 0);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            "empty",
                            "withdrawn:w",
                            "absent:nobody",
                            "held",
                            "b",
                            "c",
                            "x#2",
                            "late:f",
                            "withdrawn:v",
                            "a#2",
                            "u",
                            "empty");
            assertThat(keysHolding(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void manyRecordsAtManyTimesComeOutInOrderAndLeaveNothing(String backend) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h = harness(backend)) {
            // arrival order scrambled; negative times too (RocksDB orders a long's bytes, not its value)
            for (int i = 0; i < 300; i++) {
                long t = (i * 7919L) % 101 - 50;
                send(h, "r" + (char) ('a' + (i * 31) % 26) + i, t);
            }
            for (long wm = -60; wm <= 60; wm += 13) {
                h.processWatermark(new Watermark(wm));
            }
            List<String> out = h.extractOutputValues();
            assertThat(out).hasSize(300);
            List<String> expected = Stream.iterate(0, i -> i + 1)
                    .limit(300)
                    .map(i -> Tuple2.of("r" + (char) ('a' + (i * 31) % 26) + i, (i * 7919L) % 101 - 50))
                    .sorted((x, y) -> x.f1.equals(y.f1) ? x.f0.compareTo(y.f0) : Long.compare(x.f1, y.f1))
                    .map(r -> r.f0)
                    .toList();
            assertThat(out).containsExactlyElementsOf(expected);
            assertThat(keysHolding(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aTimerReadsItsOwnTimesRecordsWithoutIteratingAMap() throws Exception {
        // on RocksDB iterating a key's map walks every entry and every tombstone of earlier removals, so a timer's
        // cost grew with all the key ever held: the buffer's maps here refuse iteration
        Map<String, Map<Object, Object>> maps = new HashMap<>();
        Map<String, Object[]> values = new HashMap<>();
        RuntimeContext context = proxy(RuntimeContext.class, (method, args) -> switch (method) {
            case "getMapState" ->
                noIteration(maps.computeIfAbsent(((StateDescriptor<?, ?>) args[0]).getName(), name -> new HashMap<>()));
            case "getState" ->
                value(values.computeIfAbsent(((StateDescriptor<?, ?>) args[0]).getName(), name -> new Object[1]));
            default -> throw new UnsupportedOperationException(method);
        });
        List<Long> timers = new ArrayList<>();
        TimerService clock = proxy(TimerService.class, (method, args) -> switch (method) {
            case "currentWatermark" -> Long.MIN_VALUE;
            case "registerEventTimeTimer" -> timers.add((Long) args[0]);
            default -> throw new UnsupportedOperationException(method);
        });
        EventTimeBuffer<Tuple2<String, Long>> buffer = EventTimeBuffer.open(
                context, Types.TUPLE(Types.STRING, Types.LONG), r -> r.f0.split("#", 2)[0], r -> r.f1);

        for (long t = 1000; t > 0; t--) {
            buffer.holdIfAhead(Tuple2.of("r" + t, t), clock);
            buffer.holdIfAhead(Tuple2.of("q" + t, t), clock);
        }
        buffer.holdIfAhead(Tuple2.of("r500#2", 700L), clock); // moves r500 from 500 to 700
        buffer.remove("q600");
        List<String> out = new ArrayList<>();
        for (long t : timers.stream().sorted().distinct().toList()) {
            assertThat(buffer.isEmpty()).isFalse();
            buffer.takeDue(t).forEach(r -> out.add(r.f0));
        }
        assertThat(out).hasSize(1999).startsWith("q1", "r1", "q2", "r2");
        assertThat(out.subList(out.indexOf("q499"), out.indexOf("q499") + 4))
                .containsExactly("q499", "r499", "q500", "q501");
        assertThat(out.subList(out.indexOf("q700"), out.indexOf("q700") + 3)).containsExactly("q700", "r500#2", "r700");
        assertThat(out).doesNotContain("q600", "r500");
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(maps.values()).allMatch(Map::isEmpty);
        assertThat(values.values()).allMatch(v -> v[0] == null);
    }

    /** A map state over {@code m} that fails the test when anything iterates it or asks whether it is empty. */
    private static Object noIteration(Map<Object, Object> m) {
        Set<String> refused = Set.of("entries", "keys", "values", "iterator", "isEmpty");
        return proxy(MapState.class, (method, args) -> {
            if (refused.contains(method)) {
                throw new AssertionError("map state iterated: " + method);
            }
            return switch (method) {
                case "get" -> m.get(args[0]);
                case "put" -> m.put(args[0], args[1]);
                case "remove" -> m.remove(args[0]);
                case "contains" -> m.containsKey(args[0]);
                case "clear" -> {
                    m.clear();
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method);
            };
        });
    }

    private static Object value(Object[] cell) {
        return proxy(ValueState.class, (method, args) -> switch (method) {
            case "value" -> cell[0];
            case "update" -> cell[0] = args[0];
            case "clear" -> cell[0] = null;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> answer.answer(m.getName(), args));
    }
}
