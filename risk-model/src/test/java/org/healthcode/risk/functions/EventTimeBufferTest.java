package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
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
}
