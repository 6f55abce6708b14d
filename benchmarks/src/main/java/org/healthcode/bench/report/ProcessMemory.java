package org.healthcode.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resident memory of a child process, read from {@code /proc/<pid>/status} (Linux): now (VmRSS) and its peak
 * (VmHWM), and a sampler that keeps the highest VmRSS seen while a phase runs.
 */
public final class ProcessMemory implements AutoCloseable {
    private final long pid;
    private final AtomicLong maxRss = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private ProcessMemory(long pid) {
        this.pid = pid;
        this.sampler = new Thread(
                () -> {
                    while (running) {
                        rssBytes(pid).ifPresent(v -> maxRss.accumulateAndGet(v, Math::max));
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "rss-sampler-" + pid);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts sampling the resident memory of {@code pid} every 100 ms. */
    public static ProcessMemory sample(long pid) {
        return new ProcessMemory(pid);
    }

    /** The highest VmRSS seen since sampling started, in bytes. */
    public long maxRssBytes() {
        return maxRss.get();
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    /** VmRSS of {@code pid} now, in bytes. */
    public static Optional<Long> rssBytes(long pid) {
        return field(pid, "VmRSS:");
    }

    /** VmHWM (the peak resident set since the process started) of {@code pid}, in bytes. */
    public static Optional<Long> peakRssBytes(long pid) {
        return field(pid, "VmHWM:");
    }

    /** The pid of this JVM's child process whose command line contains {@code mainClass}. */
    public static Optional<Long> childRunning(String mainClass) {
        return ProcessHandle.current()
                .children()
                .filter(p ->
                        p.info().commandLine().map(c -> c.contains(mainClass)).orElse(false)
                                || p.info()
                                        .arguments()
                                        .map(a -> String.join(" ", a).contains(mainClass))
                                        .orElse(false))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    private static Optional<Long> field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
