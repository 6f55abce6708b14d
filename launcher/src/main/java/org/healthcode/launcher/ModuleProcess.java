package org.healthcode.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM running one module's main class on that module's own class path, with its output in a log file.
 *
 * <p>The job (Flink with frocksdb) and the serving view (upstream rocksdbjni) must not share a class path
 * (BUILD-NOTES: the split-package trap), so each runs in a process of its own, as it would in production.
 */
public final class ModuleProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ModuleProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code mainClass} of {@code module} and copies its output to {@code logFile}; the first output line
     * matching {@code readyPattern} completes {@link #awaitReady}, with the pattern's first group.
     */
    public static ModuleProcess start(
            Path projectRoot,
            String module,
            String mainClass,
            List<String> args,
            List<String> jvmOptions,
            Path logFile,
            Pattern readyPattern)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath(projectRoot, module));
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(logFile.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ModuleProcess mp = new ModuleProcess(module, p);
        Thread pump = new Thread(() -> mp.pump(logFile, readyPattern), module + "-output");
        pump.setDaemon(true);
        pump.start();
        return mp;
    }

    /** The module's compiled classes followed by the runtime class path Maven wrote at package time. */
    public static String classPath(Path projectRoot, String module) throws IOException {
        Path moduleDir = projectRoot.resolve(module);
        Path cpFile = moduleDir.resolve("target/classpath.txt");
        if (!Files.exists(cpFile)) {
            throw new IOException(cpFile + " is missing: build first (./healthcode build)");
        }
        String deps = Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        return moduleDir.resolve("target/classes") + (deps.isEmpty() ? "" : ":" + deps);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private void pump(Path logFile, Pattern readyPattern) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter log = new PrintWriter(
                        Files.newBufferedWriter(
                                logFile,
                                StandardCharsets.UTF_8,
                                java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND),
                        true)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.println(line);
                if (!ready.isDone()) {
                    Matcher m = readyPattern.matcher(line);
                    if (m.find()) {
                        ready.complete(m.groupCount() > 0 ? m.group(1) : line);
                    }
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } finally {
            ready.completeExceptionally(new IOException(name + " exited before it was ready; see " + logFile));
        }
    }

    /** Waits for the ready line; fails if the process exits first or the time runs out. */
    public String awaitReady(Duration timeout) throws IOException, InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(name + " not ready after " + timeout.toSeconds() + " s", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String name() {
        return name;
    }

    /** The child's process id (e.g. to read its CPU time). */
    public long pid() {
        return process.pid();
    }

    /** Asks the process to stop (SIGTERM, so its shutdown hooks run), then kills it after a grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
