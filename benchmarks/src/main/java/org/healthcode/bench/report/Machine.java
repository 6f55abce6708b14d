package org.healthcode.bench.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a figure was measured on: cores, memory, CPU model, JDK, OS, and how busy the machine was (load average). */
public record Machine(int cores, long memoryBytes, String cpuModel, String jdk, String os, double loadAverage1m) {

    /** The machine this JVM runs on, now. */
    public static Machine current() {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                memTotalBytes(),
                readCpuModel().orElse(System.getProperty("os.arch")),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                osName(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** The 1-minute load average now: a noise indicator (other builds on the shared cores). */
    public static double loadAverageNow() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("cores", cores);
        n.put("memoryBytes", memoryBytes);
        n.put("cpuModel", cpuModel);
        n.put("jdk", jdk);
        n.put("os", os);
        n.put("loadAverage1mAtStart", loadAverage1m);
        return n;
    }

    public String summaryLine() {
        return String.format(
                "%d cores (%s), %.1f GiB memory, %s, %s; load average at start %.2f",
                cores, cpuModel, memoryBytes / (double) (1L << 30), jdk, os, loadAverage1m);
    }

    private static long memTotalBytes() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L;
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static Optional<String> readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return Optional.of(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return Optional.empty();
    }

    private static String osName() {
        String base = System.getProperty("os.name") + " " + System.getProperty("os.version");
        for (String line : lines(Path.of("/etc/os-release"))) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "") + " (" + base + ")";
            }
        }
        return base;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
