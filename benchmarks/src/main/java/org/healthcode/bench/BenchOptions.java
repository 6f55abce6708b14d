package org.healthcode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Option;

/** The options every benchmark takes: quick mode, and where its results and scratch files go. */
public final class BenchOptions {
    @Option(
            names = "--quick",
            description = "seconds and tiny sizes: checks the harness works; the figures mean nothing")
    public boolean quick;

    @Option(
            names = "--results-dir",
            description = "where to write <name>.json and <name>.txt "
                    + "(default benchmarks/results, or benchmarks/target/quick-results with --quick)")
    public Path resultsDir;

    @Option(names = "--keep-work", description = "keep the scratch directory (broker data, logs, checkpoints)")
    public boolean keepWork;

    /** The results directory for this run. */
    public Path resultsDir(Path projectRoot) {
        if (resultsDir != null) {
            return resultsDir.toAbsolutePath();
        }
        return projectRoot.resolve(quick ? "benchmarks/target/quick-results" : "benchmarks/results");
    }

    /** A fresh scratch directory for one run of {@code name} under benchmarks/target/bench-work. */
    public Path workDir(Path projectRoot, String name) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = projectRoot.resolve("benchmarks/target/bench-work").resolve(name + "-" + stamp);
        Files.createDirectories(dir);
        return dir;
    }

    /** Deletes a scratch directory unless {@code --keep-work}. */
    public void cleanUp(Path workDir) {
        if (keepWork || workDir == null || !Files.exists(workDir)) {
            return;
        }
        try (var paths = Files.walk(workDir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + workDir + ": " + e.getMessage());
        }
    }
}
