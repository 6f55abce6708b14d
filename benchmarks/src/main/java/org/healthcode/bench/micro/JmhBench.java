package org.healthcode.bench.micro;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.concurrent.Callable;
import org.healthcode.bench.BenchMain;
import org.healthcode.bench.BenchOptions;
import org.healthcode.bench.report.Results;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./healthcode bench jmh}: the JMH micro-benchmarks (pseudonymisation, status-view get, code issue and verify
 * per algorithm and provider, feed decoding and rule evaluation), throughput in operations per second; the code
 * benchmarks run again with 2 threads, the "on 2 cores" of the target.
 */
@Command(
        name = "jmh",
        mixinStandardHelpOptions = true,
        description = "JMH micro-benchmarks: pseudonyms, status-view get, code issue/verify (JDK vs BC), rules")
public final class JmhBench implements Callable<Integer> {
    @ParentCommand
    BenchMain parent;

    @Mixin
    BenchOptions options;

    @Option(names = "--include", description = "regular expression of benchmarks to run (default: all of this module)")
    String include;

    @Override
    public Integer call() throws Exception {
        boolean quick = options.quick;
        Results r = new Results("jmh", quick);
        String pattern = include != null ? include : "org\\.healthcode\\.bench\\.micro\\..*";
        r.settings().put("include", pattern);
        r.settings().put("forks", quick ? 0 : 1);
        r.settings().put("warmup", quick ? "1 x 100 ms" : "3 x 2 s");
        r.settings().put("measurement", quick ? "1 x 100 ms" : "5 x 2 s");
        r.settings().put("statusViewPersons", quick ? 2_000 : 1_000_000);
        r.settings().put("jmh", "1.37");
        r.note("JMH shares the 2 cores with whatever else runs (other engineers' builds): see the load averages");
        ArrayNode rows = r.figures().putArray("benchmarks");
        run(r, rows, pattern, 1, quick);
        if (include == null || pattern.contains("CodeSigning")) {
            run(r, rows, "org\\.healthcode\\.bench\\.micro\\.CodeSigningBenchmark.*", 2, quick);
        }
        codesVerdict(r);
        r.write(options.resultsDir(parent.projectRoot()));
        return 0;
    }

    private static void run(Results r, ArrayNode rows, String pattern, int threads, boolean quick) throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(pattern)
                .threads(threads)
                .shouldFailOnError(true)
                .forks(quick ? 0 : 1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 100 : 2000))
                .measurementIterations(quick ? 1 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 100 : 2000));
        if (quick) {
            b.param("persons", "2000");
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        for (RunResult rr : results) {
            var primary = rr.getPrimaryResult();
            ObjectNode row = rows.addObject();
            String name = rr.getParams().getBenchmark().replace("org.healthcode.bench.micro.", "");
            row.put("benchmark", name);
            row.put("threads", threads);
            ObjectNode params = row.putObject("params");
            for (String key : rr.getParams().getParamsKeys()) {
                params.put(key, rr.getParams().getParam(key));
            }
            row.put("opsPerSecond", primary.getScore());
            row.put("error", Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError());
            row.put("unit", primary.getScoreUnit());
            r.line(String.format(
                    "%-45s %-28s threads %d: %,12.0f %s (± %,.0f)",
                    name,
                    params.toString(),
                    threads,
                    primary.getScore(),
                    primary.getScoreUnit(),
                    Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError()));
        }
    }

    /** The DESIGN §6 code target (>= 20 k issued and >= 20 k verified per second on 2 cores) per algorithm/provider. */
    private static void codesVerdict(Results r) {
        ObjectNode target = r.figures().putObject("codesTarget");
        target.put("perSecondOn2Cores", 20_000);
        for (var row : r.figures().withArray("benchmarks")) {
            if (row.path("threads").asInt() == 2
                    && row.path("benchmark").asText().startsWith("CodeSigning")) {
                String key = row.path("benchmark").asText().replace("CodeSigningBenchmark.", "") + " "
                        + row.path("params").path("algorithm").asText() + "/"
                        + row.path("params").path("provider").asText();
                target.put(key, row.path("opsPerSecond").asDouble() >= 20_000 ? "met" : "not met");
            }
        }
        if (target.size() > 1) {
            r.line("codes target (>= 20 k/s on 2 threads): " + target);
        }
    }
}
