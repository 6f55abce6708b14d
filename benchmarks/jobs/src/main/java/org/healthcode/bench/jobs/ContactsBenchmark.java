package org.healthcode.bench.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.contacts.ContactDetection;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.contacts.LongStayClause;

/**
 * The contacts benchmark's job, run as a child process by {@code ./healthcode bench contacts} (benchmarks module) on
 * this module's class path (its own classes and risk-model's run-time class path): one synthetic city day
 * ({@link SyntheticCityDay}) through the whole contact-detection dataflow on a local MiniCluster with RocksDB and
 * incremental checkpoints, timed, with the process's CPU time. Prints {@code CONTACTS RESULT <json>} as its last line
 * (the harness reads it) and exits 0.
 *
 * <p>The generator runs in the job, at the job's parallelism and chained to the first contacts operator (as the
 * job's dedupe stage is in the real job), so the only shuffles are the ones contact detection makes itself.
 * {@code --generator-only} runs just the generator into a discarding sink: the share of the figures that is the
 * generator's, not contact detection's.
 *
 * <p>The job runs with the live job's state and checkpoint settings ({@link RiskJobConfig#checkpointing}) and its
 * managed memory ({@code --managed-memory}, default {@code auto} as in RiskJob).
 *
 * <p>Options: {@code --phones N} (required; rounded up to a multiple of the parallelism), {@code --parallelism}
 * (2), {@code --checkpoint-dir DIR} (required unless generator-only), {@code --checkpoint-interval} (10s),
 * {@code --managed-memory SIZE|auto} (auto),
 * {@code --cases-every} (2000), {@code --side} (cells per side of the city; default keeps 25 000 phones per
 * 40 x 40 cells), {@code --long-stay-clause} (OFF: with AND a one-day city has no companions, see
 * docs/contacts.md), {@code --out-of-orderness} (15min), {@code --object-reuse} (true), {@code --generator-only},
 * {@code --flink KEY=VALUE} (repeatable: any Flink setting, e.g. a RocksDB option, applied after the ones above).
 */
public final class ContactsBenchmark {

    public static final String RESULT_PREFIX = "CONTACTS RESULT ";

    private ContactsBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        int parallelism = Integer.parseInt(o.getOrDefault("parallelism", "2"));
        int requested = Integer.parseInt(required(o, "phones"));
        int phones = (requested + parallelism - 1) / parallelism * parallelism;
        int casesEvery = Integer.parseInt(o.getOrDefault("cases-every", "2000"));
        int side = o.containsKey("side")
                ? Integer.parseInt(o.get("side"))
                : (int) Math.max(1, Math.round(40 * Math.sqrt(phones / 25_000.0)));
        boolean generatorOnly = o.containsKey("generator-only");
        LongStayClause clause = LongStayClause.valueOf(o.getOrDefault("long-stay-clause", "OFF"));
        Duration outOfOrderness = parseDuration(o.getOrDefault("out-of-orderness", "15min"));
        String interval = o.getOrDefault("checkpoint-interval", "10s");

        // the live job's state, checkpoint and RocksDB settings (RiskJobConfig.checkpointing: RocksDB, incremental
        // checkpoints, RocksDB timers, bloom filters, object reuse) and its managed memory (auto = 40 % of the heap),
        // so the figures are the job's and a setting made for the job shows here
        Configuration conf = generatorOnly
                ? new Configuration()
                : RiskJobConfig.checkpointing(Path.of(required(o, "checkpoint-dir")), parseDuration(interval));
        conf.setString("state.backend.type", "rocksdb");
        List<String> problems = new ArrayList<>();
        conf.set(
                TaskManagerOptions.MANAGED_MEMORY_SIZE,
                RiskJobConfig.managedMemory(o.getOrDefault("managed-memory", "auto"), problems));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        conf.setString("restart-strategy.type", "none");
        conf.setString("pipeline.object-reuse", o.getOrDefault("object-reuse", "true"));
        for (String kv : o.getOrDefault("flink", "").lines().toList()) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--flink: expected KEY=VALUE, was '" + kv + "'");
            }
            conf.setString(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);

        SyntheticCityDay city = new SyntheticCityDay(phones, parallelism, casesEvery, side);
        DataStream<Event> events = env.fromSequence(0, city.events() - 1)
                .name("city day")
                .map(city)
                .name("city day events")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Event>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((e, ts) -> e.time()))
                .name("event time");
        ContactRules rules = ContactRules.defaults().withLongStayClause(clause);
        if (generatorOnly) {
            events.map(new Count<>("events")).name("count events").sinkTo(new DiscardingSink<>());
        } else {
            ContactDetection.Outputs out = ContactDetection.build(events, rules);
            out.exposures()
                    .map(new Count<>("exposures"))
                    .name("count exposures")
                    .sinkTo(new DiscardingSink<>());
            out.latePings()
                    .map(new Count<>("latePings"))
                    .name("count late pings")
                    .sinkTo(new DiscardingSink<>());
        }

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("contacts benchmark, " + phones + " phones");
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;

        ObjectNode r = new ObjectMapper().createObjectNode();
        r.put("phones", phones);
        r.put("parallelism", parallelism);
        r.put("generatorOnly", generatorOnly);
        r.put("cellsPerSide", side);
        r.put("casesEvery", casesEvery);
        r.put("longStayClause", clause.name());
        r.put("outOfOrderness", outOfOrderness.toString());
        r.put("checkpointInterval", generatorOnly ? "off" : interval);
        r.put("objectReuse", conf.getString("pipeline.object-reuse", "false"));
        r.put("managedMemory", conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE).toHumanReadableString());
        r.put("flinkSettings", o.getOrDefault("flink", "").replace('\n', ' '));
        r.put("events", city.events());
        r.put("pings", city.pings());
        r.put("cases", city.cases());
        r.put("seconds", seconds);
        r.put("processCpuSeconds", cpuSeconds);
        r.put("pingsPerSecond", city.pings() / seconds);
        r.put("pingsPerSecondPerCore", city.pings() / seconds / parallelism);
        r.put("pingsPerCpuSecond", city.pings() / cpuSeconds);
        for (String counter : List.of("events", "exposures", "latePings")) {
            Object v = result.getAccumulatorResult(counter);
            if (v != null) {
                r.put(counter.equals("events") ? "eventsCounted" : counter, ((Number) v).longValue());
            }
        }
        r.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        System.out.println(RESULT_PREFIX + r);
        System.out.flush();
        System.exit(0);
    }

    /** Counts the records that pass into a job accumulator (read from the job's result). */
    static final class Count<T> extends RichMapFunction<T, T> {
        private final String name;
        private transient LongCounter counter;

        Count(String name) {
            this.name = name;
        }

        @Override
        public void open(OpenContext ctx) {
            counter = new LongCounter();
            getRuntimeContext().addAccumulator(name, counter);
        }

        @Override
        public T map(T value) {
            counter.add(1L);
            return value;
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                bad.add(args[i]);
            } else if (args[i].equals("--generator-only")) {
                o.put("generator-only", "true");
            } else if (args[i].equals("--flink") && i + 1 < args.length) {
                // repeatable: collected as lines
                o.merge("flink", args[++i], (a, b) -> a + "\n" + b);
            } else if (i + 1 < args.length) {
                o.put(args[i].substring(2), args[++i]);
            } else {
                bad.add(args[i] + " (no value)");
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("unexpected arguments: " + bad);
        }
        return o;
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static Duration parseDuration(String s) {
        return org.apache.flink.util.TimeUtils.parseDuration(s);
    }
}
