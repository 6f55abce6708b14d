package org.healthcode.risk.contacts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;

/**
 * Not a test: a plain main measuring pings/s through contact detection on a local MiniCluster with RocksDB and
 * checkpoints, at 1x, 2x and 4x the phones of one synthetic day (48 pings per phone, home-work-home in a 40 x 40
 * cell city, one case per 2 000 phones). Args: base phone count (default 25 000), parallelism (default 2).
 */
public final class CompanionDetectionBenchmark {

    private static final long DAY0 = Instant.parse("2022-04-04T00:00:00+08:00").toEpochMilli();
    private static final long HALF_HOUR = 1_800_000L;
    private static final int PINGS_PER_PHONE = 48;

    private CompanionDetectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int base = args.length > 0 ? Integer.parseInt(args[0]) : 25_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        // optional third argument: the RocksDB timer-service factory (ROCKSDB, the default, or HEAP)
        timerService = args.length > 2 ? args[2] : "ROCKSDB";
        System.out.printf("phones,pings,seconds,pings_per_s,pings_per_s_per_core%n");
        for (int factor : new int[] {1, 2, 4}) {
            int phones = base * factor;
            long pings = (long) phones * PINGS_PER_PHONE;
            double seconds = run(phones, parallelism);
            System.out.printf("%d,%d,%.1f,%.0f,%.0f%n", phones, pings, seconds, pings / seconds,
                    pings / seconds / parallelism);
        }
    }

    private static String timerService = "ROCKSDB";

    private static double run(int phones, int parallelism) throws Exception {
        Path checkpoints = Files.createTempDirectory("contacts-bench-cp");
        Configuration conf = new Configuration();
        conf.setString("state.backend.type", "rocksdb");
        conf.setString("execution.checkpointing.interval", "10 s");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.incremental", "true");
        conf.setString("restart-strategy.type", "none");
        conf.setString("state.backend.rocksdb.timer-service.factory", timerService);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        long total = (long) phones * (PINGS_PER_PHONE + 1) + phones / 2_000;
        DataStream<Event> events = env.fromSequence(0, total - 1).setParallelism(1)
                .map(new SyntheticCityDay(phones)).setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Event>forBoundedOutOfOrderness(java.time.Duration.ofMinutes(15))
                        .withTimestampAssigner((e, ts) -> e.time()))
                .setParallelism(1);
        ContactDetection.apply(events, ContactRules.defaults().withLongStayClause(LongStayClause.OFF))
                .sinkTo(new DiscardingSink<>());
        long t0 = System.nanoTime();
        env.execute("contacts benchmark " + phones);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Index -> event: first every phone's binding, then the pings half-hour by half-hour, then the cases. */
    static final class SyntheticCityDay implements MapFunction<Long, Event> {
        private final int phones;

        SyntheticCityDay(int phones) {
            this.phones = phones;
        }

        @Override
        public Event map(Long idx) {
            GridProjection grid = GridProjection.of(ContactRules.defaults());
            long i = idx;
            if (i < phones) {
                return Event.builder("b" + i, EventType.IDENTITY, DAY0 - 86_400_000L, "440106")
                        .msisdn("m" + i).personId("p" + i).build();
            }
            i -= phones;
            long pings = (long) phones * PINGS_PER_PHONE;
            if (i < pings) {
                int slot = (int) (i / phones);
                int phone = (int) (i % phones);
                boolean atWork = slot >= 18 && slot < 36;
                long h = mix(phone * 2L + (atWork ? 1 : 0));
                int cx = (int) Math.floorMod(h, 40L);
                int cy = (int) Math.floorMod(h >>> 20, 40L);
                double jitterX = Math.floorMod(h >>> 40, 700L) + 50;
                double jitterY = Math.floorMod(h >>> 50, 700L) + 50;
                long t = DAY0 + slot * HALF_HOUR + Math.floorMod(h >>> 8, 600_000L);
                return Event.builder("g" + idx, EventType.PING, t, "440106").msisdn("m" + phone)
                        .lat(grid.latAt(cy * 800.0 + jitterY)).lon(grid.lonAt(cx * 800.0 + jitterX)).build();
            }
            long c = (i - pings) * 2_000L;
            return Event.builder("c" + c, EventType.TEST_RESULT, DAY0 + 86_400_000L, "440106").personId("p" + c)
                    .method("pcr").positive(true).pooled(false).build();
        }

        private static long mix(long x) {
            x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
            x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return x ^ (x >>> 33);
        }
    }
}
