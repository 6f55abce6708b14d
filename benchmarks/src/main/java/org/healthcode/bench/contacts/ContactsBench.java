package org.healthcode.bench.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.healthcode.bench.BenchMain;
import org.healthcode.bench.BenchOptions;
import org.healthcode.bench.pipeline.CheckpointLog;
import org.healthcode.bench.report.ClassPathSnapshot;
import org.healthcode.bench.report.Machine;
import org.healthcode.bench.report.Results;
import org.healthcode.launcher.JobJvm;
import org.healthcode.launcher.ModuleProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./healthcode bench contacts}: carrier pings per second through contact detection (phone stays, person
 * index, companions by cell, and the venue/vehicle/dedupe stages) on RocksDB with incremental checkpoints, at 1x, 2x
 * and 4x the pings (is the cost linear?), with the state size; by default the 4x run is the 1 M-person city day
 * (48 M pings).
 *
 * <p>Each size runs {@code ContactsBenchmark} (benchmarks/jobs) in a child JVM on that module's class path, risk-model's
 * and its own classes (this module never carries Flink, see README "Class path"): a local MiniCluster whose generator source runs at the job's
 * parallelism. A generator-only run at the base size tells how much of the time is the generator's.
 */
@Command(
        name = "contacts",
        mixinStandardHelpOptions = true,
        description = "pings/s through companion detection (RocksDB, checkpoints) at 1x/2x/4x, state size")
public final class ContactsBench implements Callable<Integer> {
    private static final String MAIN = "org.healthcode.bench.jobs.ContactsBenchmark";
    private static final String JOBS_MODULE = "benchmarks/jobs";
    private static final Pattern RESULT = Pattern.compile("CONTACTS RESULT (\\{.*\\})");
    private static final long CITY_DAY_PINGS = 48_000_000L;
    private static final double TARGET_PER_CORE = 150_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParentCommand
    BenchMain parent;

    @Mixin
    BenchOptions options;

    @Option(names = "--base-phones", description = "phones (= persons) at 1x (default 250000, 12 M pings; quick 2000)")
    Integer basePhones;

    @Option(names = "--factors", split = ",", description = "multiples of the base to run (default 1,2,4; quick 1,2)")
    List<Integer> factors;

    @Option(names = "--parallelism", defaultValue = "2", description = "the job's parallelism")
    int parallelism;

    @Option(names = "--checkpoint-interval", description = "the job's checkpoint interval (default 10s; quick 1s)")
    String checkpointInterval;

    @Option(names = "--heap", defaultValue = "3g", description = "the child JVM's -Xmx")
    String heap;

    @Option(names = "--no-generator-reference", description = "skip the generator-only run")
    boolean noGeneratorReference;

    @Option(
            names = "--job-arg",
            description = "extra argument for ContactsBenchmark (repeatable), "
                    + "e.g. --job-arg=--long-stay-clause --job-arg=AND")
    List<String> jobArgs = new ArrayList<>();

    @Option(
            names = "--job-jvm-arg",
            description = "extra JVM option of the child (repeatable), e.g. " + "--job-jvm-arg=-XX:+UseParallelGC")
    List<String> jobJvmArgs = new ArrayList<>();

    @Option(names = "--timeout-minutes", defaultValue = "60", description = "give up on one run after this long")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
        Path root = parent.projectRoot();
        boolean quick = options.quick;
        int base = basePhones != null ? basePhones : quick ? 2_000 : 250_000;
        List<Integer> fs = factors != null ? factors : quick ? List.of(1, 2) : List.of(1, 2, 4);
        if (checkpointInterval == null) {
            checkpointInterval = quick ? "1s" : "10s";
        }
        Results r = new Results("contacts", quick);
        ObjectNode s = r.settings();
        s.put("basePhones", base);
        s.set("factors", MAPPER.valueToTree(fs));
        s.put("pingsPerPhone", 48);
        s.put("parallelism", parallelism);
        s.put("checkpointInterval", checkpointInterval);
        s.put(
                "stateBackend",
                "the live job's settings (RiskJobConfig.checkpointing: RocksDB, incremental checkpoints,"
                        + " RocksDB timers, bloom filters, object reuse) and managed memory auto (40% of the child's heap)");
        s.put("childHeap", heap);
        s.put("extraJobArgs", String.join(" ", jobArgs));
        s.put("jobGcOptions", String.join(" ", JobJvm.gcOptions()));
        s.put("extraJobJvmArgs", String.join(" ", jobJvmArgs));
        r.note("the generator runs inside the job at its parallelism and shares the "
                + r.machine().cores()
                + " cores: 'per core' divides pings/s (wall clock) by "
                + r.machine().cores()
                + "; 'per CPU-second' divides by the child's CPU time (generator, MiniCluster, RocksDB, GC included),"
                + " which other load on the machine does not change much");

        Path work = options.workDir(root, "contacts");
        try {
            Path frozen = ClassPathSnapshot.take(root, JOBS_MODULE, work.resolve("classpath-snapshot"));
            if (!noGeneratorReference) {
                ObjectNode g = runChild(r, frozen, work.resolve("generator"), base, true);
                r.figures().set("generatorOnly", g);
                r.line(String.format(
                        "[generator only, %,d phones] %,d pings in %.1f s, %.1f CPU-s: %,.0f pings per"
                                + " CPU-second (the generator's share of the runs below)",
                        base,
                        g.path("pings").asLong(),
                        g.path("seconds").asDouble(),
                        g.path("processCpuSeconds").asDouble(),
                        g.path("pingsPerCpuSecond").asDouble()));
            }
            ArrayNode runs = r.figures().putArray("runs");
            JsonNode first = null;
            for (int f : fs) {
                ObjectNode run = runChild(r, frozen, work.resolve("x" + f), base * f, false);
                run.put("factor", f);
                if (first == null) {
                    first = run;
                }
                double timeRatio =
                        run.path("seconds").asDouble() / first.path("seconds").asDouble();
                double cpuRatio = run.path("processCpuSeconds").asDouble()
                        / first.path("processCpuSeconds").asDouble();
                double pingRatio =
                        run.path("pings").asDouble() / first.path("pings").asDouble();
                run.put("pingRatioToFirst", pingRatio);
                run.put("timeRatioToFirst", timeRatio);
                run.put("cpuRatioToFirst", cpuRatio);
                runs.add(run);
                r.line(String.format(
                        "[%dx, %,d phones] %,d pings in %.1f s (%.1f CPU-s): %,.0f pings/s = %,.0f per core,"
                                + " %,.0f per CPU-second; %,d exposures, %d late pings; x%.2f pings -> x%.2f time, x%.2f CPU;"
                                + " load %.1f -> %.1f",
                        f,
                        run.path("phones").asLong(),
                        run.path("pings").asLong(),
                        run.path("seconds").asDouble(),
                        run.path("processCpuSeconds").asDouble(),
                        run.path("pingsPerSecond").asDouble(),
                        run.path("pingsPerSecondPerCore").asDouble(),
                        run.path("pingsPerCpuSecond").asDouble(),
                        run.path("exposures").asLong(),
                        run.path("latePings").asLong(),
                        pingRatio,
                        timeRatio,
                        cpuRatio,
                        run.path("loadAverage1mAtStart").asDouble(),
                        run.path("loadAverage1mAtEnd").asDouble()));
                JsonNode cp = run.path("checkpoints");
                r.line(String.format(
                        "[%dx] checkpoints: %d completed, median %d ms, max %d ms; largest %,d bytes"
                                + " (%.0f bytes per phone); checkpoint directory at most %,d bytes",
                        f,
                        cp.path("completed").asInt(),
                        cp.path("durationMsMedian").asLong(),
                        cp.path("durationMsMax").asLong(),
                        cp.path("largestBytes").asLong(),
                        cp.path("largestBytesPerPhone").asDouble(),
                        cp.path("directoryMaxBytes").asLong()));
            }
            summarise(r, runs);
        } finally {
            options.cleanUp(work);
        }
        r.write(options.resultsDir(root));
        return 0;
    }

    private ObjectNode runChild(Results r, Path frozen, Path dir, int phones, boolean generatorOnly) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Path log = dir.resolve("job.log");
        List<String> args = new ArrayList<>(List.of(
                "--phones",
                Integer.toString(phones),
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-dir",
                checkpoints.toString(),
                "--checkpoint-interval",
                checkpointInterval));
        if (generatorOnly) {
            args.add("--generator-only");
        }
        args.addAll(jobArgs);
        double loadStart = Machine.loadAverageNow();
        AtomicLong maxDir = new AtomicLong();
        Thread sampler = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            maxDir.accumulateAndGet(CheckpointLog.directoryBytes(checkpoints), Math::max);
                            Thread.sleep(2_000);
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            // a file removed while walking: the next sample counts it
                        }
                    }
                },
                "checkpoint-dir-sampler");
        sampler.setDaemon(true);
        String json;
        try (ModuleProcess child = ModuleProcess.start(
                frozen,
                JOBS_MODULE,
                MAIN,
                args,
                JobJvm.jvmOptions(List.of("-Xmx" + heap, "-Xms" + heap), jobJvmArgs),
                log,
                RESULT)) {
            sampler.start();
            json = child.awaitReady(Duration.ofMinutes(timeoutMinutes));
        } finally {
            sampler.interrupt();
        }
        ObjectNode run = (ObjectNode) MAPPER.readTree(json);
        run.put("loadAverage1mAtStart", loadStart);
        run.put("loadAverage1mAtEnd", Machine.loadAverageNow());
        if (!generatorOnly) {
            List<CheckpointLog.Checkpoint> cps = CheckpointLog.read(log);
            ObjectNode c = run.putObject("checkpoints");
            c.put("completed", cps.size());
            List<Long> durations = cps.stream()
                    .map(CheckpointLog.Checkpoint::durationMs)
                    .sorted()
                    .toList();
            long largest = cps.stream()
                    .mapToLong(CheckpointLog.Checkpoint::bytes)
                    .max()
                    .orElse(0);
            c.put("durationMsMedian", durations.isEmpty() ? 0 : durations.get(durations.size() / 2));
            c.put("durationMsMax", durations.isEmpty() ? 0 : durations.get(durations.size() - 1));
            c.put("largestBytes", largest);
            c.put("largestBytesPerPhone", largest / (double) run.path("phones").asLong());
            c.put("directoryMaxBytes", maxDir.get());
            if (cps.isEmpty()) {
                r.note(phones + " phones: no checkpoint completed during the run (it was shorter than the interval)");
            }
            if (run.path("latePings").asLong() > 0) {
                r.note(phones + " phones: " + run.path("latePings").asLong() + " pings came behind the watermark: the"
                        + " generator's splits did not follow the phone groups; figures not comparable");
            }
        }
        return run;
    }

    private static void summarise(Results r, ArrayNode runs) {
        if (runs.isEmpty()) {
            return;
        }
        JsonNode largest = runs.get(runs.size() - 1);
        ObjectNode s = r.figures().putObject("summary");
        double bestPerCore = 0;
        for (JsonNode run : runs) {
            bestPerCore =
                    Math.max(bestPerCore, run.path("pingsPerSecondPerCore").asDouble());
        }
        s.put("targetPingsPerSecondPerCore", TARGET_PER_CORE);
        s.put(
                "largestRunPingsPerSecondPerCore",
                largest.path("pingsPerSecondPerCore").asDouble());
        s.put("targetMet", largest.path("pingsPerSecondPerCore").asDouble() >= TARGET_PER_CORE);
        double perPing =
                largest.path("seconds").asDouble() / largest.path("pings").asDouble();
        s.put("cityDayPings", CITY_DAY_PINGS);
        boolean cityDayRun = largest.path("pings").asLong() >= CITY_DAY_PINGS;
        s.put("cityDayMeasured", cityDayRun);
        s.put("cityDaySeconds", cityDayRun ? largest.path("seconds").asDouble() : perPing * CITY_DAY_PINGS);
        double maxTimeRatio = largest.path("timeRatioToFirst").asDouble();
        double pingRatio = largest.path("pingRatioToFirst").asDouble();
        s.put("linearity", pingRatio > 1 ? largest.path("cpuRatioToFirst").asDouble() / pingRatio : 1.0);
        r.line(String.format(
                "summary: largest run %,.0f pings/s per core (target %,.0f: %s); x%.1f pings cost x%.2f"
                        + " time and x%.2f CPU; a 1 M-person city day (48 M pings) %s %.0f s",
                largest.path("pingsPerSecondPerCore").asDouble(),
                TARGET_PER_CORE,
                s.path("targetMet").asBoolean() ? "met" : "not met",
                pingRatio,
                maxTimeRatio,
                largest.path("cpuRatioToFirst").asDouble(),
                cityDayRun ? "took" : "projected from the largest run:",
                s.path("cityDaySeconds").asDouble()));
    }
}
