package org.healthcode.bench;

import java.nio.file.Path;
import org.healthcode.bench.contacts.ContactsBench;
import org.healthcode.bench.lookups.LookupsBench;
import org.healthcode.bench.micro.JmhBench;
import org.healthcode.bench.pipeline.PipelineBench;
import org.healthcode.bench.rules.RulesCeilingBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./healthcode bench <name>}: runs one benchmark and writes its results file (JSON and a text summary) under
 * {@code benchmarks/results/} ({@code benchmarks/target/quick-results/} with {@code --quick}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks of the health-code engine against DESIGN §6 (see benchmarks/README.md).",
        subcommands = {
            LookupsBench.class,
            JmhBench.class,
            PipelineBench.class,
            RulesCeilingBench.class,
            ContactsBench.class,
            org.healthcode.bench.replay.ReplayBench.class
        })
public final class BenchMain implements Runnable {
    @Option(
            names = "--project-root",
            required = true,
            description = "the project's root directory (the script passes it)")
    Path projectRoot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Path projectRoot() {
        return projectRoot.toAbsolutePath().normalize();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        // risk-model's jar (on this class path for its rule classes) carries a log4j2.properties, which log4j would
        // prefer over any log4j2.xml; name ours explicitly so the console stays for progress and figures
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "healthcode-bench-log4j2.xml");
        }
        return new CommandLine(new BenchMain()).execute(args);
    }
}
