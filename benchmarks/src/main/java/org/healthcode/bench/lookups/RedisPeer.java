package org.healthcode.bench.lookups;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The peer an operator would otherwise pick for key lookups: {@code redis-server} on loopback, measured with
 * {@code redis-benchmark} GET (no pipelining, like our one-request-per-connection HTTP lookups). Installs the Debian
 * packages when missing and allowed (running as root with apt-get); starts the server on a free port with
 * persistence off, and stops it afterwards.
 */
public final class RedisPeer {
    /** What redis-benchmark reported for one test. */
    public record Figure(String test, double requestsPerSecond, double p50Ms, double p99Ms) {}

    private RedisPeer() {}

    /** The path of {@code tool} on PATH, if any. */
    public static Optional<Path> which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Makes sure redis-server and redis-benchmark exist: installs {@code redis-server} and {@code redis-tools} with
     * apt-get when {@code mayInstall} and this process runs as root. Returns why not, or empty when ready.
     */
    public static Optional<String> ensureInstalled(boolean mayInstall) throws IOException, InterruptedException {
        if (which("redis-server").isPresent() && which("redis-benchmark").isPresent()) {
            return Optional.empty();
        }
        if (!mayInstall) {
            return Optional.of("redis-server/redis-benchmark not installed (quick mode does not install them)");
        }
        if (which("apt-get").isEmpty() || !"root".equals(System.getProperty("user.name"))) {
            return Optional.of("redis-server/redis-benchmark not installed and cannot install (needs root and apt-get):"
                    + " install the Debian packages redis-server and redis-tools");
        }
        System.out.println("installing redis-server and redis-tools with apt-get...");
        run(List.of("apt-get", "update", "-qq"), 600);
        int rc = run(
                List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server", "redis-tools"),
                600);
        if (rc != 0
                || which("redis-server").isEmpty()
                || which("redis-benchmark").isEmpty()) {
            return Optional.of("apt-get install redis-server redis-tools failed (exit " + rc + ")");
        }
        return Optional.empty();
    }

    /**
     * Starts redis-server on a free loopback port, fills {@code keys} keys of {@code valueBytes} bytes, runs
     * {@code requests} GETs over {@code connections} connections, stops the server; returns SET and GET figures.
     */
    public static List<Figure> measure(Path workDir, int keys, int valueBytes, int requests, int connections)
            throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(workDir);
        Process server = new ProcessBuilder(
                        which("redis-server").orElseThrow().toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        workDir.toAbsolutePath().toString(),
                        "--daemonize",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("redis-server.log").toFile())
                .start();
        try {
            awaitPort(port, 10_000);
            List<Figure> out = new ArrayList<>();
            out.addAll(benchmark(port, "set", keys, keys, valueBytes, connections));
            out.addAll(benchmark(port, "get", keys, requests, valueBytes, connections));
            out.add(mget(port, keys, Math.max(1, requests / MGET_KEYS), connections));
            return out;
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Keys per MGET: the same as the lookups' batch. */
    public static final int MGET_KEYS = 100;

    /**
     * MGET of {@value #MGET_KEYS} random keys of those {@code -t set} wrote ({@code key:__rand_int__}, each
     * placeholder its own random number); reported as test {@code MGET100}, requests (not keys) per second.
     */
    private static Figure mget(int port, int keyspace, int requests, int connections)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                which("redis-benchmark").orElseThrow().toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-r",
                Integer.toString(keyspace),
                "-n",
                Integer.toString(requests),
                "-c",
                Integer.toString(connections),
                "--csv",
                "MGET"));
        for (int i = 0; i < MGET_KEYS; i++) {
            cmd.add("key:__rand_int__");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("redis-benchmark MGET failed: " + output);
        }
        List<Figure> figures = parseCsv(output);
        if (figures.isEmpty()) {
            throw new IOException("redis-benchmark MGET printed no figure: " + output);
        }
        Figure f = figures.get(0);
        return new Figure("MGET" + MGET_KEYS, f.requestsPerSecond(), f.p50Ms(), f.p99Ms());
    }

    private static List<Figure> benchmark(
            int port, String test, int keyspace, int requests, int valueBytes, int connections)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(
                which("redis-benchmark").orElseThrow().toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-t",
                test,
                "-r",
                Integer.toString(keyspace),
                "-n",
                Integer.toString(requests),
                "-d",
                Integer.toString(valueBytes),
                "-c",
                Integer.toString(connections),
                "--csv");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("redis-benchmark failed: " + output);
        }
        return parseCsv(output);
    }

    /** Parses redis-benchmark {@code --csv} output: a header line, then "TEST","rps","avg",...,"p50","p95","p99",... */
    static List<Figure> parseCsv(String output) {
        List<Figure> figures = new ArrayList<>();
        List<String> header = null;
        for (String line : output.split("\\R")) {
            if (!line.startsWith("\"")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.split(",")) {
                cells.add(c.replace("\"", "").trim());
            }
            if (cells.get(0).equals("test")) {
                header = cells;
                continue;
            }
            double rps = Double.parseDouble(cells.get(1));
            double p50 = header == null ? Double.NaN : cell(header, cells, "p50_latency_ms");
            double p99 = header == null ? Double.NaN : cell(header, cells, "p99_latency_ms");
            figures.add(new Figure(cells.get(0), rps, p50, p99));
        }
        return figures;
    }

    private static double cell(List<String> header, List<String> cells, String name) {
        int i = header.indexOf(name);
        return i < 0 || i >= cells.size() ? Double.NaN : Double.parseDouble(cells.get(i));
    }

    /** The version line of the installed redis-server. */
    public static String version() {
        try {
            Process p = new ProcessBuilder(which("redis-server").orElseThrow().toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("redis-server did not listen on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }
}
