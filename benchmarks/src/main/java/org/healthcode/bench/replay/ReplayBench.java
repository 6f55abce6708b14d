package org.healthcode.bench.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.healthcode.bench.BenchMain;
import org.healthcode.bench.BenchOptions;
import org.healthcode.bench.report.ClassPathSnapshot;
import org.healthcode.bench.report.Machine;
import org.healthcode.bench.report.Results;
import org.healthcode.bench.rules.RulesCeiling;
import org.healthcode.bench.rules.RulesCeilingBench;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.sinks.JsonLinesSink;
import org.healthcode.launcher.JobJvm;
import org.healthcode.launcher.ModuleProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./healthcode bench replay}: one synthetic city file replayed by {@code ./healthcode replay} in each mode
 * (fast: heap state; streaming: RocksDB, as the live job), one after the other in a child JVM each, beside the
 * ceiling loop over the same city in the same run. Times run from the child's start to its {@code REPLAY DONE}
 * line: JVM and MiniCluster start, the archive's scan, the job and writing the sorted files.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "replay of a city file, --mode fast beside --mode streaming and the ceiling loop")
public final class ReplayBench implements Callable<Integer> {
    private static final Pattern DONE = Pattern.compile("(REPLAY DONE.*)");

    @ParentCommand
    BenchMain parent;

    @Mixin
    BenchOptions options;

    @Option(names = "--persons", description = "city size (default 100000; quick 500)")
    Integer persons;

    @Option(names = "--days", defaultValue = "1")
    int days;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--modes", defaultValue = "fast,streaming", split = ",")
    List<String> modes;

    @Option(names = "--heap", defaultValue = "4g", description = "the replay JVM's heap")
    String heap;

    @Option(names = "--timeout-minutes", defaultValue = "60")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
        Path root = parent.projectRoot();
        int n = persons != null ? persons : options.quick ? 500 : 100_000;
        Results r = new Results("replay", options.quick);
        r.settings().put("persons", n);
        r.settings().put("days", days);
        r.settings().put("seed", seed);
        r.settings().put("childHeap", heap);
        r.settings().put("jobGcOptions", String.join(" ", JobJvm.gcOptions()));
        r.note("each replay's time runs from its JVM's start to REPLAY DONE (start-up and sorted output included);"
                + " the ceiling is one thread over the same city, decode + rules in memory");
        Path work = options.workDir(root, "replay");
        try {
            Path city = work.resolve("city.jsonl");
            new SyntheticCity(CityConfig.of(n, days, seed)).run(JsonLinesSink.toFile(city));
            long lines;
            try (var s = Files.lines(city)) {
                lines = s.count();
            }
            r.settings().put("events", lines);
            r.settings().put("archiveBytes", Files.size(city));
            RulesCeiling.Outcome ceiling = RulesCeiling.run(n, days, seed);
            r.figures().set("ceiling", RulesCeilingBench.json(ceiling));
            r.line(RulesCeilingBench.text(ceiling));

            Path frozen = ClassPathSnapshot.take(root, "risk-model", work.resolve("classpath-snapshot"));
            ArrayNode runs = r.figures().putArray("runs");
            for (String mode : modes) {
                ObjectNode run = runs.addObject();
                run.put("mode", mode);
                double load = Machine.loadAverageNow();
                List<String> args = new ArrayList<>(List.of(
                        "--events",
                        city.toString(),
                        "--out",
                        work.resolve("out-" + mode).toString(),
                        "--mode",
                        mode,
                        "--work-dir",
                        work.toString()));
                long start = System.nanoTime();
                String done;
                double cpu;
                try (ModuleProcess child = ModuleProcess.start(
                        frozen,
                        "risk-model",
                        "org.healthcode.risk.ReplayJob",
                        args,
                        JobJvm.jvmOptions(List.of("-Xmx" + heap, "-Xms" + heap), List.of()),
                        work.resolve("replay-" + mode + ".log"),
                        DONE)) {
                    done = child.awaitReady(Duration.ofMinutes(timeoutMinutes));
                    cpu = ProcessHandle.of(child.pid())
                            .flatMap(p -> p.info().totalCpuDuration())
                            .map(d -> d.toMillis() / 1000.0)
                            .orElse(-1.0);
                }
                double secs = (System.nanoTime() - start) / 1e9;
                run.put("seconds", secs);
                run.put("processCpuSeconds", cpu);
                run.put("eventsPerSecond", lines / secs);
                run.put("eventsPerCpuSecond", cpu > 0 ? lines / cpu : -1);
                // what was replayed, without the scratch directory's path
                run.put("done", done.replaceFirst(" -> .*$", ""));
                run.put("loadAverage1mAtStart", load);
                run.put("loadAverage1mAtEnd", Machine.loadAverageNow());
                r.line(String.format(
                        "replay --mode %s: %,d events in %.1f s (%.1f CPU-s) = %,.0f events/s, %,.0f per"
                                + " CPU-second; ceiling/replay %.1fx; load %.1f -> %.1f",
                        mode,
                        lines,
                        secs,
                        cpu,
                        lines / secs,
                        cpu > 0 ? lines / cpu : -1,
                        ceiling.eventsPerSecond() / (lines / secs),
                        load,
                        Machine.loadAverageNow()));
            }
            if (runs.size() == 2) {
                double ratio = runs.get(1).path("seconds").asDouble()
                        / runs.get(0).path("seconds").asDouble();
                r.figures().put("speedupFirstOverSecond", ratio);
                r.line(String.format("time of %s / time of %s: %.2f", modes.get(1), modes.get(0), ratio));
            }
        } finally {
            options.cleanUp(work);
        }
        r.write(options.resultsDir(root));
        return 0;
    }
}
