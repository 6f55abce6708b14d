package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** Held until the watermark passes, then in (time, id) order whatever the arrival order; late ones pass at once. */
class EventTimeBufferTest {

    /** Emits "id" as records come out of the buffer, "late:id" for one the watermark had already passed. */
    private static final class Echo extends KeyedProcessFunction<String, Tuple2<String, Long>, String> {
        private transient EventTimeBuffer<Tuple2<String, Long>> pending;

        @Override
        public void open(OpenContext openContext) {
            pending = EventTimeBuffer.open(
                    getRuntimeContext(), Types.TUPLE(Types.STRING, Types.LONG), r -> r.f0, r -> r.f1);
        }

        @Override
        public void processElement(Tuple2<String, Long> r, Context ctx, Collector<String> out) throws Exception {
            if (!pending.holdIfAhead(r, ctx.timerService())) {
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

    @Test
    void recordsComeOutInEventTimeOrderOnceTheWatermarkPassesThem() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, Long>, String> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new Echo(), r -> "k", Types.STRING)) {
            for (Tuple2<String, Long> r : java.util.List.of(
                    Tuple2.of("c", 30L), Tuple2.of("b", 10L), Tuple2.of("a", 10L), Tuple2.of("d", 50L))) {
                h.processElement(new StreamRecord<>(r, r.f1));
            }
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(new Watermark(30));
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c");
            h.processElement(new StreamRecord<>(Tuple2.of("e", 20L), 20L));
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c", "late:e");
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).containsExactly("a", "b", "c", "late:e", "d");
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }
}
