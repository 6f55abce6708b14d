package org.healthcode.bench.lookups;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.healthcode.bench.BenchMain;
import org.healthcode.bench.BenchOptions;
import org.healthcode.bench.KafkaTarget;
import org.healthcode.bench.report.ClassPathSnapshot;
import org.healthcode.bench.report.Latencies;
import org.healthcode.bench.report.ProcessMemory;
import org.healthcode.bench.report.Results;
import org.healthcode.broker.Topics;
import org.healthcode.codes.issue.Colour;
import org.healthcode.interop.codes.QrRendering;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.Role;
import org.healthcode.launcher.ModuleProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./healthcode bench lookups}: status lookups per second and their latency against the real serving process
 * (ServeMain in its own JVM on interop's class path, its view filled from a real broker's {@code status} topic),
 * at 50%, 70%, 100% and 10x of its measured capacity, beside redis-benchmark GET on the same machine.
 */
@Command(
        name = "lookups",
        mixinStandardHelpOptions = true,
        description = "HTTP status lookups: capacity, latency at 50/70/100% and 10x load (shedding), vs redis GET")
public final class LookupsBench implements Callable<Integer> {
    private static final String SERVE_MAIN = "org.healthcode.interop.ServeMain";
    /**
     * Requests waiting for an answer (on a connection or in the client's queue, their latency running from the
     * intended send time) before the generator stops sending and counts the rest as unsent: high enough that only a
     * swamped client hits it, low enough that the generator's memory stays bounded at 10x.
     */
    private static final long MAX_OUTSTANDING = 50_000;
    /** Picture verifications kept in flight beside the flooded phase. */
    private static final int IMAGE_FLOOD = 32;

    @ParentCommand
    BenchMain parent;

    @Mixin
    BenchOptions options;

    @Mixin
    KafkaTarget kafkaTarget;

    @Option(names = "--persons", description = "statuses in the view (default 1000000; quick 2000)")
    Integer persons;

    @Option(names = "--phase-seconds", description = "length of each measured phase (default 20; quick 2)")
    Double phaseSeconds;

    @Option(
            names = "--concurrency",
            split = ",",
            description = "requests in flight for the capacity search, best kept (default 16,64,128; quick 16)")
    List<Integer> concurrency;

    @Option(names = "--connections", defaultValue = "128", description = "client connections at 50-100%% load")
    int connections;

    @Option(
            names = "--overload-connections",
            defaultValue = "4096",
            description = "client connections at 10x load: each carries one request at a time (HTTP/1.1), so the "
                    + "server sees at most this many waiting; they must exceed what it admits within its queue "
                    + "deadline (capacity x --max-queue-ms + in flight + queue), or the queue forms in the client")
    int overloadConnections;

    @Option(names = "--max-in-flight", description = "the serving process's --max-in-flight (default: its own)")
    Integer maxInFlight;

    @Option(
            names = "--replicas",
            defaultValue = "1",
            description = "serving processes sharing one port (SO_REUSEPORT), each with its own view")
    int replicas;

    @Option(names = "--server-heap", defaultValue = "1g", description = "-Xmx of the serving process")
    String serverHeap;

    @Option(names = "--server-arg", description = "one more argument for the serving process (repeatable)")
    List<String> serverArgs;

    @Option(
            names = "--server-jvm-arg",
            description = "one more JVM option for the serving process (repeatable), "
                    + "e.g. -XX:StartFlightRecording=filename=serve.jfr")
    List<String> serverJvmArgs;

    @Option(
            names = "--redis",
            negatable = true,
            defaultValue = "true",
            description = "run redis-benchmark GET beside it (default on; installs redis with apt-get if root)")
    boolean redis;

    /** The generator's {@code Authorization} header (a fresh app key per run). */
    private String authorization;
    /** The checkpoint key the batches are sent with. */
    private String batchAuthorization;

    @Override
    public Integer call() throws Exception {
        Path root = parent.projectRoot();
        boolean quick = options.quick;
        int n = persons != null ? persons : quick ? 2_000 : 1_000_000;
        double phase = phaseSeconds != null ? phaseSeconds : quick ? 2 : 20;
        double warmup = quick ? 1 : 10;
        List<Integer> levels = concurrency != null ? concurrency : quick ? List.of(16) : List.of(16, 64, 128);
        Results r = new Results("lookups", quick);
        ObjectNode s = r.settings();
        s.put("persons", n);
        s.put("phaseSeconds", phase);
        s.put("warmupSeconds", warmup);
        s.set(
                "capacityConcurrency",
                Results.array()
                        .addAll(levels.stream()
                                .map(i -> (com.fasterxml.jackson.databind.JsonNode)
                                        com.fasterxml.jackson.databind.node.IntNode.valueOf(i))
                                .toList()));
        s.put("connections", connections);
        s.put("overloadConnections", overloadConnections);
        s.put("serverMaxInFlight", maxInFlight == null ? "server default" : maxInFlight.toString());
        s.set(
                "serverArgs",
                Results.array()
                        .addAll((serverArgs == null ? List.<String>of() : serverArgs)
                                .stream()
                                        .map(a -> (com.fasterxml.jackson.databind.JsonNode)
                                                com.fasterxml.jackson.databind.node.TextNode.valueOf(a))
                                        .toList()));
        s.set(
                "serverJvmArgs",
                Results.array()
                        .addAll((serverJvmArgs == null ? List.<String>of() : serverJvmArgs)
                                .stream()
                                        .map(a -> (com.fasterxml.jackson.databind.JsonNode)
                                                com.fasterxml.jackson.databind.node.TextNode.valueOf(a))
                                        .toList()));
        s.put("serverHeap", serverHeap);
        s.put("replicas", replicas);
        s.put(
                "client",
                "Jetty HttpClient 12.1 (HTTP/1.1 keep-alive, async, 1 selector), HdrHistogram, latency from"
                        + " the intended send time (coordinated omission corrected) in open-loop phases");
        r.note("load generator, serving process and Kafka broker share the same "
                + r.machine().cores() + " cores: every figure here is for the whole box, the generator's CPU included");
        Path work = options.workDir(root, "lookups");
        try {
            runService(r, root, work, n, phase, warmup, levels);
            if (redis) {
                runRedis(r, work, n, quick, (int) Math.max(
                        1,
                        Math.round(r.figures()
                                .path("view")
                                .path("averageValueBytes")
                                .asDouble(64))));
            } else {
                r.note("redis peer skipped (--no-redis)");
            }
            ratio(r);
            r.write(options.resultsDir(root));
        } finally {
            options.cleanUp(work);
        }
        return 0;
    }

    private void runService(Results r, Path root, Path work, int n, double phase, double warmup, List<Integer> levels)
            throws Exception {
        try (KafkaTarget.Cluster kafka = kafkaTarget.open(work, List.of(Topics.STATUS, "audit"))) {
            r.line("Kafka: " + kafka.describe());
            Topics.ensure(kafka.bootstrapServers(), kafka.settings().properties(), List.of(Topics.status(1)));
            long t0 = System.nanoTime();
            String[] ids = StatusFill.personIds(n);
            long bytes = StatusFill.produce(kafka.client(), Topics.STATUS, ids);
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            r.line(String.format(
                    "filled the status topic: %,d statuses, %.0f bytes each on average, in %.1f s",
                    n, bytes / (double) n, produceSeconds));
            // the generator is one app backend with a real API key, as production runs (access control and the audit
            // on); without the per-caller rate limit (one caller stands for all the app's users) nor the limit per
            // source address (every request comes from loopback, as behind a proxy)
            Path keys = work.resolve("api-keys");
            java.nio.file.Files.deleteIfExists(keys);
            authorization = "Bearer " + ApiKeys.add(keys, "bench-app", Role.APP, InteropConfig.DEFAULT_REGION);
            // batches are a checkpoint's (or an operator's, another region's) call: a gate with a queue of codes
            batchAuthorization =
                    "Bearer " + ApiKeys.add(keys, "bench-gate", Role.CHECKPOINT, InteropConfig.DEFAULT_REGION);
            List<String> args = new java.util.ArrayList<>(kafka.processArgs());
            args.addAll(List.of(
                    "--data-dir",
                    work.resolve("view").toString(),
                    "--http-port",
                    "0",
                    "--api-keys",
                    keys.toString(),
                    "--rate-limit",
                    "app=0,checkpoint=0",
                    "--rate-per-address",
                    "0"));
            if (maxInFlight != null) {
                args.addAll(List.of("--max-in-flight", maxInFlight.toString()));
            }
            if (serverArgs != null) {
                args.addAll(serverArgs);
            }
            List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx" + serverHeap));
            if (serverJvmArgs != null) {
                jvm.addAll(serverJvmArgs);
            }
            Path frozen = ClassPathSnapshot.take(root, "interop", work.resolve("classpath-snapshot"));
            // several replicas share one port (SO_REUSEPORT): the kernel spreads the generator's connections
            int port = replicas > 1 ? freePort() : 0;
            List<ModuleProcess> serves = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < replicas; i++) {
                    List<String> own = new java.util.ArrayList<>(args);
                    own.set(
                            own.indexOf("--data-dir") + 1,
                            work.resolve(replicas > 1 ? "view-" + i : "view").toString());
                    own.set(own.indexOf("--http-port") + 1, Integer.toString(port));
                    if (replicas > 1) {
                        own.add("--reuse-port");
                    }
                    serves.add(ModuleProcess.start(
                            frozen,
                            "interop",
                            SERVE_MAIN,
                            own,
                            jvm,
                            work.resolve(replicas > 1 ? "serve-" + i + ".log" : "serve.log"),
                            Pattern.compile("SERVING READY (\\S+)")));
                }
                URI base = null;
                for (ModuleProcess serve : serves) {
                    base = URI.create(serve.awaitReady(Duration.ofSeconds(120)));
                }
                long pid = replicas > 1
                        ? serves.get(0).pid()
                        : ProcessMemory.childRunning(SERVE_MAIN).orElse(-1L);
                long t1 = System.nanoTime();
                // a fresh connection per probe: with replicas each lands on any of them, so all must answer
                for (int probe = 0; probe < (replicas > 1 ? 20 : 1); probe++) {
                    awaitFilled(base, ids[ids.length - 1], authorization, Duration.ofMinutes(20));
                }
                double fillSeconds = (System.nanoTime() - t1) / 1e9;
                ObjectNode view = r.figures().putObject("view");
                view.put("statuses", n);
                view.put("averageValueBytes", bytes / (double) n);
                view.put("secondsToMaterialise", fillSeconds);
                view.put("statusesPerSecondMaterialised", n / fillSeconds);
                r.line(String.format(
                        "serving process materialised the view in %.1f s (%,.0f statuses/s); RSS %s",
                        fillSeconds, n / fillSeconds, mib(ProcessMemory.rssBytes(pid))));
                long[] cpuBefore =
                        serves.stream().mapToLong(p -> cpuNanos(p.pid())).toArray();
                measure(r, base, ids, phase, warmup, levels, pid);
                if (replicas > 1) {
                    ArrayNode rs = r.figures().putArray("replicas");
                    for (int i = 0; i < serves.size(); i++) {
                        double cpu = (cpuNanos(serves.get(i).pid()) - cpuBefore[i]) / 1e9;
                        rs.addObject().put("port", port).put("cpuSecondsDuringPhases", cpu);
                        r.line(String.format(
                                "replica %d of %d on port %d (SO_REUSEPORT): %.1f CPU-seconds over the" + " phases",
                                i + 1, serves.size(), port, cpu));
                    }
                    r.note("server RSS and CPU in the phase rows are the first replica's alone");
                }
                boolean alive = serves.stream().allMatch(ModuleProcess::isAlive);
                if (!alive) {
                    r.note("a serving process died during the run: see its log");
                }
                r.figures().put("serverAliveAtEnd", alive);
            } finally {
                for (ModuleProcess serve : serves) {
                    serve.close();
                }
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void measure(Results r, URI base, String[] ids, double phase, double warmup, List<Integer> levels, long pid)
            throws Exception {
        ObjectNode f = r.figures();
        double capacity = 0;
        int bestConcurrency = levels.get(0);
        try (LoadGenerator gen =
                new LoadGenerator(base.getHost(), base.getPort(), "/v1/status/", ids, connections, authorization)) {
            gen.closedLoop(levels.get(0), warmup);
            ArrayNode search = f.putArray("capacitySearch");
            for (int c : levels) {
                LoadGenerator.Outcome o = gen.closedLoop(c, phase);
                ObjectNode row = search.addObject();
                row.put("concurrency", c);
                row.put("servedPerSecond", o.servedPerSecond());
                row.put("shed", o.shed());
                row.put("failed", o.failed() + o.otherStatus());
                r.line(String.format(
                        "capacity search: %d in flight -> %,.0f lookups/s (shed %d, failed %d)",
                        c, o.servedPerSecond(), o.shed(), o.failed() + o.otherStatus()));
                if (o.servedPerSecond() > capacity) {
                    capacity = o.servedPerSecond();
                    bestConcurrency = c;
                }
            }
            f.put("capacityLookupsPerSecond", capacity);
            f.put("capacityConcurrency", bestConcurrency);
            r.line(String.format("capacity: %,.0f lookups/s (closed loop, %d in flight)", capacity, bestConcurrency));
            // batches of 100 ids (POST /v1/status:batch), closed loop at the best concurrency / 4, at most 64
            int batchConcurrency = Math.max(4, Math.min(64, bestConcurrency / 4));
            LoadGenerator.Outcome b = gen.closedLoopBatches(
                    "/v1/status:batch", RedisPeer.MGET_KEYS, batchAuthorization, batchConcurrency, phase);
            ObjectNode batches = f.putObject("batches");
            batches.put("idsPerBatch", RedisPeer.MGET_KEYS);
            batches.put("concurrency", batchConcurrency);
            batches.put("idsPerSecond", b.servedPerSecond());
            batches.put("batchesPerSecond", b.servedPerSecond() / RedisPeer.MGET_KEYS);
            batches.put("shedBatches", b.shed());
            batches.put("failedBatches", b.failed() + b.otherStatus());
            batches.set("batchLatency", Latencies.json(b.servedLatency()));
            r.line(String.format(
                    "batches of %d ids: %,.0f ids/s (%,.0f batches/s, %d in flight; shed %d, failed %d);"
                            + " batch latency %s",
                    RedisPeer.MGET_KEYS,
                    b.servedPerSecond(),
                    b.servedPerSecond() / RedisPeer.MGET_KEYS,
                    batchConcurrency,
                    b.shed(),
                    b.failed() + b.otherStatus(),
                    Latencies.text(b.servedLatency())));
            ArrayNode phases = f.putArray("openLoop");
            for (double fraction : new double[] {0.5, 0.7, 1.0}) {
                phases.add(openPhase(r, gen, fraction, capacity, phase, MAX_OUTSTANDING, pid));
            }
            phases.add(floodedPhase(r, base, ids, capacity, phase, pid));
        }
        try (LoadGenerator gen = new LoadGenerator(
                base.getHost(), base.getPort(), "/v1/status/", ids, overloadConnections, authorization)) {
            long warmed = gen.warmConnections(overloadConnections, 60);
            r.line(String.format(
                    "opened up to %,d connections for the 10x phase (%,d warm-up requests answered)",
                    overloadConnections, warmed));
            ObjectNode over = openPhase(r, gen, 10.0, capacity, phase, MAX_OUTSTANDING, pid);
            f.withArray("openLoop").add(over);
        }
        // what the service does right after the storm (a fresh client: nothing of the storm left in its queue)
        try (LoadGenerator gen =
                new LoadGenerator(base.getHost(), base.getPort(), "/v1/status/", ids, connections, authorization)) {
            ObjectNode after = openPhase(r, gen, 0.5, capacity, Math.max(1, phase / 2), MAX_OUTSTANDING, pid);
            after.put("afterOverload", true);
            f.withArray("openLoop").add(after);
        }
        ProcessMemory.peakRssBytes(pid).ifPresent(v -> f.put("serverPeakRssBytes", v));
        r.line("serving process peak RSS over the whole run (VmHWM): " + mib(ProcessMemory.peakRssBytes(pid)));
    }

    /**
     * 70% of capacity in lookups while another client floods {@code /v1/verify-image} with QR pictures
     * ({@value #IMAGE_FLOOD} in flight, a checkpoint's key): the lookups' latency beside the pictures' outcomes.
     */
    private ObjectNode floodedPhase(Results r, URI base, String[] ids, double capacity, double seconds, long pid)
            throws Exception {
        byte[] picture =
                QrRendering.png("HC1:" + "6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N".repeat(4), Colour.GREEN);
        try (LoadGenerator images = new LoadGenerator(
                        base.getHost(), base.getPort(), "/v1/status/", ids, IMAGE_FLOOD, batchAuthorization);
                LoadGenerator lookups = new LoadGenerator(
                        base.getHost(), base.getPort(), "/v1/status/", ids, connections, authorization)) {
            LoadGenerator.Flood flood =
                    images.flood("/v1/verify-image", "image/png", picture, batchAuthorization, IMAGE_FLOOD);
            ObjectNode row = openPhase(r, lookups, 0.7, capacity, seconds, MAX_OUTSTANDING, pid);
            LoadGenerator.Outcome o = flood.stop();
            ObjectNode img = row.putObject("verifyImageFlood");
            img.put("inFlight", IMAGE_FLOOD);
            img.put("pictureBytes", picture.length);
            img.put("answeredPerSecond", o.answeredPerSecond());
            img.put("verdicts", o.served());
            img.put("shed", o.shed());
            img.put("otherStatus", o.otherStatus());
            img.set("shedLatency", Latencies.json(o.shedLatency()));
            r.line(String.format(
                    "   (the 70%% row above ran beside a /v1/verify-image flood, %d in flight, %,d-byte"
                            + " QR pictures: %,.0f answered/s, %,d verdicts, %,d shed in %s, %,d other)",
                    IMAGE_FLOOD,
                    picture.length,
                    o.answeredPerSecond(),
                    o.served(),
                    o.shed(),
                    Latencies.text(o.shedLatency()),
                    o.otherStatus()));
            return row;
        }
    }

    private ObjectNode openPhase(
            Results r,
            LoadGenerator gen,
            double fraction,
            double capacity,
            double seconds,
            long maxOutstanding,
            long pid)
            throws InterruptedException {
        double rate = Math.max(1, fraction * capacity);
        double[] gcBefore = gc(gen);
        long cpuBefore = cpuNanos(pid);
        long selfBefore = cpuNanos(ProcessHandle.current().pid());
        LoadGenerator.Outcome o;
        long maxRss;
        try (ProcessMemory mem = ProcessMemory.sample(pid)) {
            o = gen.openLoop(rate, seconds, maxOutstanding, 30);
            maxRss = mem.maxRssBytes();
        }
        double serverCpu = (cpuNanos(pid) - cpuBefore) / 1e9 / o.seconds();
        double[] gcAfter = gc(gen);
        double selfCpu = (cpuNanos(ProcessHandle.current().pid()) - selfBefore) / 1e9 / o.seconds();
        ObjectNode row = Results.object();
        row.put("fractionOfCapacity", fraction);
        row.put("offeredPerSecond", rate);
        row.put("seconds", o.seconds());
        row.put("intended", o.intended());
        row.put("sent", o.sent());
        row.put("unsentClientSaturated", o.unsent());
        // what the generator really offered: requests sent over the phase's length
        double sentPerSecond = o.sent() / seconds;
        row.put("sentPerSecond", sentPerSecond);
        boolean offered = o.unsent() == 0 && sentPerSecond >= 0.95 * rate;
        row.put("generatorOfferedTheRate", offered);
        row.put("served", o.served());
        row.put("shed", o.shed());
        row.put("otherStatus", o.otherStatus());
        row.put("failed", o.failed());
        row.put("servedPerSecond", o.servedPerSecond());
        row.set("servedLatency", Latencies.json(o.servedLatency()));
        row.set("shedLatency", Latencies.json(o.shedLatency()));
        row.put("serverMaxRssBytes", maxRss);
        row.put("serverCpuCores", serverCpu);
        row.put("benchProcessCpuCores", selfCpu);
        double gcSeconds = gcAfter[0] - gcBefore[0];
        long collections = (long) (gcAfter[1] - gcBefore[1]);
        row.put("serverGcSeconds", gcSeconds);
        row.put("serverGcCollections", collections);
        row.put("serverGcFractionOfPhase", gcSeconds / o.seconds());
        Map<String, Double> ages = viewAges(gen);
        ObjectNode agesJson = row.putObject("viewAgeSecondsAtEnd");
        ages.forEach(agesJson::put);
        r.line(String.format(
                "%5.0f%% of capacity (%,.0f/s intended, %,.0f/s sent): served %,.0f/s; %s; shed %,d "
                        + "(%s), failed %,d, unsent %,d; server RSS max %s, server CPU %.2f cores, generator+broker "
                        + "CPU %.2f cores; server GC %d collections, %.0f ms (%.2f%% of the phase); view age at the "
                        + "end %s",
                fraction * 100,
                rate,
                sentPerSecond,
                o.servedPerSecond(),
                Latencies.text(o.servedLatency()),
                o.shed(),
                o.shed() == 0 ? "-" : "answered in " + Latencies.text(o.shedLatency()),
                o.failed(),
                o.unsent(),
                mib(Optional.of(maxRss)),
                serverCpu,
                selfCpu,
                collections,
                gcSeconds * 1e3,
                gcSeconds / o.seconds() * 100,
                ages.isEmpty() ? "not reported" : ages.toString()));
        if (!offered) {
            r.note(String.format(
                    "at %.0f%% of capacity the generator did not offer the rate: it sent %,.0f/s of the "
                            + "%,.0f/s intended (%,d requests unsent: %s). It shares the cores with the server, so this row "
                            + "measures the server at the load it was actually offered, %.1fx capacity",
                    fraction * 100,
                    sentPerSecond,
                    rate,
                    o.unsent(),
                    o.unsent() > 0 ? "behind schedule or too many outstanding" : "sent late",
                    sentPerSecond / capacity));
        }
        return row;
    }

    private void runRedis(Results r, Path work, int n, boolean quick, int valueBytes) throws Exception {
        Optional<String> missing = RedisPeer.ensureInstalled(!quick);
        ObjectNode node = r.figures().putObject("redis");
        if (missing.isPresent()) {
            node.put("skipped", missing.get());
            r.note("redis peer not measured: " + missing.get());
            return;
        }
        int requests = quick ? 20_000 : 2_000_000;
        int keys = Math.min(n, 1_000_000);
        List<RedisPeer.Figure> figures = RedisPeer.measure(work.resolve("redis"), keys, valueBytes, requests, 50);
        node.put("version", RedisPeer.version());
        node.put("connections", 50);
        node.put("keys", keys);
        node.put("valueBytes", valueBytes);
        node.put("requests", requests);
        for (RedisPeer.Figure fig : figures) {
            ObjectNode t = node.putObject(fig.test().toLowerCase());
            t.put("requestsPerSecond", fig.requestsPerSecond());
            t.put("p50Ms", fig.p50Ms());
            t.put("p99Ms", fig.p99Ms());
            r.line(String.format(
                    "redis-benchmark %s: %,.0f requests/s, p50 %.3f ms, p99 %.3f ms (50 connections, "
                            + "no pipelining, redis-benchmark on the same cores)",
                    fig.test(), fig.requestsPerSecond(), fig.p50Ms(), fig.p99Ms()));
        }
    }

    private static void ratio(Results r) {
        ObjectNode f = r.figures();
        double ours = f.path("capacityLookupsPerSecond").asDouble(0);
        double redisGet = f.path("redis").path("get").path("requestsPerSecond").asDouble(0);
        if (ours > 0 && redisGet > 0) {
            f.put("ratioToRedisGet", ours / redisGet);
            r.line(String.format("ratio: HTTP status lookups / redis GET = %.2f", ours / redisGet));
        }
        double redisMget =
                f.path("redis").path("mget100").path("requestsPerSecond").asDouble(0);
        double batchIds = f.path("batches").path("idsPerSecond").asDouble(0);
        if (batchIds > 0 && redisMget > 0) {
            double keys = redisMget * RedisPeer.MGET_KEYS;
            f.put("ratioBatchToRedisMget", batchIds / keys);
            r.line(String.format(
                    "ratio: ids in HTTP batches of %d / keys in redis MGET of %d = %.2f",
                    RedisPeer.MGET_KEYS, RedisPeer.MGET_KEYS, batchIds / keys));
        }
        // DESIGN: at least half of redis GET in the same run
        f.put("targetRatioToRedisGet", 0.5);
        f.put("targetMet", redisGet > 0 && ours / redisGet >= 0.5);
    }

    private static void awaitFilled(URI base, String lastId, String authorization, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/status/" + lastId))
                .header("Authorization", authorization)
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (resp.statusCode() == 200) {
                return;
            }
            if (resp.statusCode() == 401 || resp.statusCode() == 403) {
                throw new IllegalStateException(
                        "the serving process refused the lookup (" + resp.statusCode() + "): credentials?");
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the serving process did not show the last status within " + timeout);
    }

    /**
     * The server's collectors' total time (seconds) and collections from its {@code /metrics} (the JVM's own
     * counters: stop-the-world pauses for G1 and for ZGC's pause collector); zeros when it cannot be read.
     */
    private static double[] gc(LoadGenerator gen) {
        double seconds = 0;
        double count = 0;
        for (String line : gen.get("/metrics").split("\n")) {
            if (line.startsWith("healthcode_jvm_gc_collection_seconds_total{") && !line.contains("Cycles")) {
                seconds += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("healthcode_jvm_gc_collections_total{") && !line.contains("Cycles")) {
                count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {seconds, count};
    }

    /** The view age the server reports per lookup path on {@code /metrics} (seconds); empty when not reported. */
    private static Map<String, Double> viewAges(LoadGenerator gen) {
        Map<String, Double> ages = new java.util.TreeMap<>();
        for (String line : gen.get("/metrics").split("\n")) {
            int path = line.indexOf("path=\"");
            if (line.startsWith("healthcode_view_age_seconds{") && path > 0) {
                ages.put(
                        line.substring(path + 6, line.indexOf('"', path + 6)),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return ages;
    }

    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toNanos)
                .orElse(0L);
    }

    private static String mib(Optional<Long> bytes) {
        return bytes.map(b -> String.format("%.0f MiB", b / 1048576.0)).orElse("unknown");
    }
}
