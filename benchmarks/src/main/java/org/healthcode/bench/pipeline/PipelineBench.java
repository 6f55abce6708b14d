package org.healthcode.bench.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.healthcode.bench.BenchMain;
import org.healthcode.bench.BenchOptions;
import org.healthcode.bench.KafkaTarget;
import org.healthcode.bench.report.ClassPathSnapshot;
import org.healthcode.bench.report.Results;
import org.healthcode.bench.rules.RulesCeiling;
import org.healthcode.bench.rules.RulesCeilingBench;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.launcher.DemoTopics;
import org.healthcode.launcher.JobJvm;
import org.healthcode.launcher.ModuleProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./healthcode bench pipeline}: feed events per second from Kafka through the risk job (its own JVM on
 * risk-model's class path, RocksDB state, exactly-once sinks) to the {@code status} topic, on the synthetic city;
 * then freshness (event produced -> status visible in a lookup of the real serving process), checkpoint durations,
 * state bytes per person and the projection for 1.41 billion people; beside a same-run pass-through job over the same
 * topics (the reference of DESIGN §6) and the same rules as a plain loop.
 *
 * <p>The city's events are produced to the feed topics first; then the job starts and is timed until its committed
 * source offsets (Flink commits them when a checkpoint completes) reach the topics' end offsets.
 */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "events/s through the risk job (exactly-once, RocksDB), freshness, checkpoints, state size")
public final class PipelineBench implements Callable<Integer> {
    private static final String RISK_JOB = "org.healthcode.risk.RiskJob";
    private static final String PASS_THROUGH_JOB = "org.healthcode.bench.jobs.PassThroughJob";
    private static final String JOBS_MODULE = "benchmarks/jobs";
    private static final String PASS_THROUGH_GROUP = "healthcode-pass-through";
    /** DESIGN §6: the risk job's steady rate as a share of the same-run pass-through job's. */
    private static final double REFERENCE_RATIO_GOAL = 0.6;

    private static final String SERVE_MAIN = "org.healthcode.interop.ServeMain";
    private static final long CHINA = 1_410_000_000L;
    private static final int TRICKLE_PER_SECOND = 200;
    private static final long PROBE_TIMEOUT_MS = 30_000;

    @ParentCommand
    BenchMain parent;

    @Mixin
    BenchOptions options;

    @Mixin
    org.healthcode.bench.KafkaTarget kafkaTarget;

    @Option(names = "--persons", split = ",", description = "city sizes, one run each (default 100000; quick 500)")
    List<Integer> persons;

    @Option(names = "--days", description = "simulated days of the city (default 1)")
    Integer days;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--parallelism", defaultValue = "2", description = "the job's parallelism")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "1s", description = "the job's checkpoint interval")
    String checkpointInterval;

    @Option(
            names = "--job-arg",
            description = "extra argument passed to RiskJob as is (repeatable), "
                    + "e.g. --job-arg=--out-of-orderness --job-arg=1s")
    List<String> jobArgs = new ArrayList<>();

    @Option(
            names = "--state-backend",
            split = ",",
            description = "the job's state backend, one run each: rocksdb, "
                    + "hashmap or both (rocksdb,hashmap); default rocksdb")
    List<String> stateBackends;

    @Option(
            names = "--without-pings",
            description = "send every event of the city but the carrier pings (contact "
                    + "detection's ping path is most of a city's events; this measures the rest of the job on its own)")
    boolean withoutPings;

    @Option(
            names = "--job-jvm-arg",
            description = "extra JVM option of the job's process (repeatable), e.g. "
                    + "--job-jvm-arg=-XX:StartFlightRecording=filename=job.jfr,settings=profile")
    List<String> jobJvmArgs = new ArrayList<>();

    @Option(
            names = "--no-reference",
            description = "skip the same-run reference (run by default before the risk job:"
                    + " a pass-through job over the same topics, decode, one record out per event, exactly-once, no keyed"
                    + " state)")
    boolean noReference;

    @Option(names = "--probes", description = "freshness probes (default 30; quick 3)")
    Integer probes;

    @Option(names = "--timeout-minutes", defaultValue = "60", description = "give up on catching up after this long")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
        Path root = parent.projectRoot();
        boolean quick = options.quick;
        List<Integer> sizes = persons != null ? persons : List.of(quick ? 500 : 100_000);
        int d = days != null ? days : 1;
        Results r = new Results("pipeline", quick);
        ObjectNode s = r.settings();
        s.set(
                "persons",
                Results.array()
                        .addAll(sizes.stream()
                                .map(i -> (com.fasterxml.jackson.databind.JsonNode)
                                        com.fasterxml.jackson.databind.node.IntNode.valueOf(i))
                                .toList()));
        s.put("days", d);
        s.put("seed", seed);
        s.put("parallelism", parallelism);
        s.put("checkpointInterval", checkpointInterval);
        List<String> backends = stateBackends != null ? stateBackends : List.of("rocksdb");
        for (String b : backends) {
            if (!b.equals("rocksdb") && !b.equals("hashmap")) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "--state-backend: must be rocksdb or hashmap, not " + b);
            }
        }
        s.put(
                "stateBackends",
                String.join(",", backends) + " (rocksdb: incremental checkpoints; hashmap: full"
                        + " snapshots of the heap state)");
        s.put("deliveryGuarantee", "exactly-once (transactional status and rejected sinks, read_committed lookups)");
        FeedMix mix = withoutPings ? FeedMix.WITHOUT_PINGS : FeedMix.ALL;
        s.put("feedMix", mix.wireName());
        s.put("extraJobArgs", String.join(" ", jobArgs));
        s.put("jobGcOptions", String.join(" ", JobJvm.gcOptions()));
        s.put("extraJobJvmArgs", String.join(" ", jobJvmArgs));
        r.note("broker, producer, job and serving process share the same "
                + r.machine().cores() + " cores; 'per core' figures divide by "
                + r.machine().cores());
        ArrayNode runs = r.figures().putArray("runs");
        for (int n : sizes) {
            // The city keeps its default start (2022). Starting it "now" would let the live trickle continue its
            // event time, but the job then writes statuses stamped with future phase ends, which Kafka refuses.
            CityConfig cityConfig = CityConfig.of(n, d, seed);
            // the ceiling first, alone on the machine, on the very same city; once per size, beside every backend
            RulesCeiling.Outcome ceiling = RulesCeiling.run(cityConfig, mix::filter);
            r.line(String.format("[%,d persons] ", n) + RulesCeilingBench.text(ceiling));
            List<ObjectNode> sized = new ArrayList<>();
            for (String backend : backends) {
                ObjectNode run = runCity(r, root, cityConfig, mix, ceiling, backend, quick);
                sized.add(run);
                runs.add(run);
            }
            heapVersusRocksDb(r, sized, n);
        }
        r.write(options.resultsDir(root));
        return 0;
    }

    /** The ratio heap / RocksDB of the steady rates, when both ran on this city. */
    private static void heapVersusRocksDb(Results r, List<ObjectNode> sized, int n) {
        ObjectNode rocks = null;
        ObjectNode heap = null;
        for (ObjectNode run : sized) {
            if (run.path("stateBackend").asText().equals("rocksdb")) {
                rocks = run;
            } else if (run.path("stateBackend").asText().equals("hashmap")) {
                heap = run;
            }
        }
        if (rocks == null || heap == null || rocks.path("eventsPerSecondSteady").asDouble() <= 0) {
            return;
        }
        double ratio = heap.path("eventsPerSecondSteady").asDouble()
                / rocks.path("eventsPerSecondSteady").asDouble();
        heap.put("ratioSteadyHeapToRocksDb", ratio);
        r.line(String.format("[%,d persons] heap (hashmap) / RocksDB steady events/s = %.2f", n, ratio));
    }

    private ObjectNode runCity(
            Results r,
            Path root,
            CityConfig cityConfig,
            FeedMix mix,
            RulesCeiling.Outcome ceiling,
            String backend,
            boolean quick)
            throws Exception {
        int n = cityConfig.persons();
        ObjectNode run = Results.object();
        run.put("persons", n);
        run.put("days", cityConfig.days());
        run.put("stateBackend", backend);
        run.put("feedMix", mix.wireName());
        run.put("cityStart", cityConfig.start().toString());
        run.set("ceiling", RulesCeilingBench.json(ceiling));
        String tag = String.format("[%,d persons, %s%s] ", n, backend, mix == FeedMix.ALL ? "" : ", " + mix.wireName());

        Path work = options.workDir(root, "pipeline-" + n + "-" + backend);
        List<String> written = new ArrayList<>(DemoTopics.feedTopics());
        written.addAll(List.of("status", "rejected", "pass-through"));
        try (KafkaTarget.Cluster kafka = kafkaTarget.open(work, written)) {
            String bootstrap = kafka.bootstrapServers();
            run.put("kafka", kafka.describe());
            r.line(tag + "Kafka: " + kafka.describe());
            DemoTopics.create(bootstrap, kafka.settings());
            keepFeedsWhole(kafka.client());
            long t0 = System.nanoTime();
            SyntheticCity city = new SyntheticCity(cityConfig);
            SyntheticCity.CityStats stats;
            long[] sent = new long[1];
            Event[] last = new Event[1];
            try (FeedProducer producer = new FeedProducer(
                    new KafkaProducer<>(kafka.settings().with(FeedProducer.properties(bootstrap))), "")) {
                stats = city.run(mix.counting(producer, sent, last));
            }
            long cityLastEventMs =
                    last[0] == null ? cityConfig.start().toEpochMilli() : IsoTimes.parse(last[0].getTime());
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            run.put("events", sent[0]);
            run.put("cityEvents", stats.events());
            run.put("produceSeconds", produceSeconds);
            r.line(String.format(
                    "%sproduced %,d feed events in %.1f s (%,.0f/s)",
                    tag, sent[0], produceSeconds, sent[0] / produceSeconds));

            Path jobWork = work.resolve("job");
            Path checkpoints = work.resolve("checkpoints");
            // the job pseudonymises with the development secret of its work directory; the probes need the same
            Pseudonymiser pseudonymiser = new Pseudonymiser(RegionSecret.resolve(null, jobWork));
            List<String> args = new ArrayList<>(kafka.processArgs());
            args.addAll(List.of(
                    "--checkpoint-dir",
                    checkpoints.toString(),
                    "--work-dir",
                    jobWork.toString(),
                    "--parallelism",
                    Integer.toString(parallelism),
                    "--checkpoint-interval",
                    checkpointInterval,
                    "--state-backend",
                    backend));
            // the job's Prometheus reporter (one port per process of its MiniCluster): RocksDB's live data size
            List<Integer> metricsPorts = List.of(freePort(), freePort());
            if (backend.equals("rocksdb")) {
                args.addAll(List.of("--metrics-ports", metricsPorts.get(0) + "," + metricsPorts.get(1)));
            }
            args.addAll(jobArgs);
            Path jobLog = work.resolve("job.log");
            Path frozen = ClassPathSnapshot.take(root, "risk-model", work.resolve("classpath-snapshot"));
            ClassPathSnapshot.take(root, "interop", frozen);
            ClassPathSnapshot.take(root, JOBS_MODULE, frozen);
            Timed reference = null;
            if (!noReference) {
                reference = passThrough(r, run, work, frozen, kafka, backend, tag, quick);
            }
            try (FeedProgress progress =
                            new FeedProgress(kafka.client(), "healthcode-risk", DemoTopics.feedTopics(), "status");
                    ModuleProcess job = ModuleProcess.start(
                            frozen,
                            "risk-model",
                            RISK_JOB,
                            args,
                            JobJvm.jvmOptions(List.of(), jobJvmArgs),
                            jobLog,
                            Pattern.compile("JOB RUNNING (\\S+)"))) {
                job.awaitReady(Duration.ofMinutes(3));
                Timed t = timeUntilCaughtUp(progress, job, quick);
                long end = t.end();
                double total = t.seconds();
                boolean caughtUp = t.caughtUp();
                long committed = t.committed();
                run.put("caughtUp", caughtUp);
                run.put("secondsFromJobRunningToCaughtUp", total);
                run.put("eventsCommitted", committed);
                run.put("jobCpuSeconds", t.cpuNanos() / 1e9);
                run.put("eventsPerSecond", committed / total);
                Steady w = t.window();
                double steady = w.eventsPerSecond();
                run.put("eventsPerSecondSteady", steady);
                run.put("eventsPerSecondPerCoreSteady", steady / r.machine().cores());
                double perCpu = w.eventsPerCpuSecond();
                run.put("eventsPerJobCpuSecondSteady", perCpu);
                run.put("steadyWindow", w.describe());
                run.put("statusRecords", progress.statusEnd());
                double ceilingPerSecond = ceiling.eventsPerSecond();
                run.put("ratioSteadyToCeilingOneThread", steady / ceilingPerSecond);
                run.put(
                        "ratioSteadyPerCoreToCeilingOneThread",
                        steady / r.machine().cores() / ceilingPerSecond);
                if (caughtUp) {
                    r.line(String.format(
                            "%sjob read and committed all %,d events in %.1f s from JOB RUNNING: %,.0f"
                                    + " events/s overall, %,.0f events/s steady (%s) = %,.0f per core; status topic"
                                    + " end offset %,d",
                            tag,
                            end,
                            total,
                            end / total,
                            steady,
                            w.describe(),
                            steady / r.machine().cores(),
                            progress.statusEnd()));
                } else {
                    r.line(String.format(
                            "%sjob DID NOT catch up: %,d of %,d events committed in %.1f s from JOB"
                                    + " RUNNING (%.0f%%): %,.0f events/s overall, %,.0f events/s steady (%s) = %,.0f"
                                    + " per core; status topic end offset %,d",
                            tag,
                            committed,
                            end,
                            total,
                            100.0 * committed / Math.max(1, end),
                            committed / total,
                            steady,
                            w.describe(),
                            steady / r.machine().cores(),
                            progress.statusEnd()));
                }
                r.line(String.format(
                        "%sthe job's own CPU time: %.1f CPU-s in all; %,.0f events per CPU-second of the"
                                + " job process in the steady window (what one fully used core would do, less sensitive to"
                                + " the other load)",
                        tag, t.cpuNanos() / 1e9, perCpu));
                run.put("ratioPerJobCpuSecondToCeilingOneThread", perCpu / ceilingPerSecond);
                r.line(String.format(
                        "%sratio: pipeline per core / ceiling (1 thread, decode+rules) = %.3f",
                        tag, steady / r.machine().cores() / ceilingPerSecond));
                if (reference != null) {
                    referenceRatio(r, run, t, reference, tag);
                }
                if (!job.isAlive()) {
                    r.note("the risk job exited during the run: see its log (kept with --keep-work)");
                }

                if (caughtUp && job.isAlive()) {
                    // started at once: a live region's feeds never fall silent, and the job's watermark needs them
                    String[] msisdns = new String[Math.min(n, 1000)];
                    String[] idNumbers = new String[msisdns.length];
                    for (int i = 0; i < msisdns.length; i++) {
                        msisdns[i] = city.resident(i).msisdn();
                        idNumbers[i] = city.resident(i).idNumber();
                    }
                    // the trickle continues the city's clock a minute after its last event (see FreshnessProbe)
                    long clockOffsetMs = cityLastEventMs + 60_000 - System.currentTimeMillis();
                    try (FreshnessProbe probe = new FreshnessProbe(
                            kafka.client(), pseudonymiser, msisdns, idNumbers, TRICKLE_PER_SECOND, clockOffsetMs)) {
                        try {
                            freshness(r, run, frozen, work, kafka, probe, tag, quick);
                        } catch (java.io.IOException e) {
                            // e.g. the serving process not ready in time on a loaded machine: the job's figures stand
                            r.note(tag + "freshness not measured: " + e.getMessage());
                        }
                        Thread.sleep(3_000); // one more checkpoint after the last probe
                    }
                }
                rejected(r, run, kafka.client(), tag);
                StateMetrics.Sizes live =
                        backend.equals("rocksdb") && job.isAlive() ? StateMetrics.scrape(metricsPorts) : null;
                checkpoints(r, run, jobLog, checkpoints, n, tag);
                liveState(r, run, live, n, tag);
                jobProblems(r, jobLog);
            }
        } finally {
            options.cleanUp(work);
        }
        return run;
    }

    /** A job timed from {@code JOB RUNNING} until its committed offsets reached the feeds' end (or it gave up). */
    record Timed(long end, long committed, double seconds, long cpuNanos, Steady window) {
        boolean caughtUp() {
            return committed >= end;
        }
    }

    private Timed timeUntilCaughtUp(FeedProgress progress, ModuleProcess job, boolean quick) throws Exception {
        long jobPid = job.pid();
        long started = System.nanoTime();
        long end = progress.feedEnd();
        List<long[]> samples = new ArrayList<>();
        long deadline = started
                + Duration.ofMinutes(quick ? Math.min(5, timeoutMinutes) : timeoutMinutes)
                        .toNanos();
        long committed = 0;
        while (committed < end && System.nanoTime() < deadline && job.isAlive()) {
            Thread.sleep(500);
            committed = progress.committed();
            samples.add(new long[] {System.nanoTime() - started, committed, cpuNanos(jobPid)});
        }
        return new Timed(end, committed, (System.nanoTime() - started) / 1e9, cpuNanos(jobPid), steady(samples, end));
    }

    /**
     * The same-run reference: {@code PassThroughJob} over the same topics, in its own JVM with the risk job's JVM
     * options, parallelism, checkpoint interval and state backend, timed the same way; stopped once caught up.
     */
    private Timed passThrough(
            Results r,
            ObjectNode run,
            Path work,
            Path frozen,
            KafkaTarget.Cluster kafka,
            String backend,
            String tag,
            boolean quick)
            throws Exception {
        org.healthcode.broker.Topics.ensure(
                kafka.bootstrapServers(),
                kafka.settings().properties(),
                List.of(org.healthcode.broker.Topics.plain("pass-through", parallelism)));
        List<String> args = new ArrayList<>(kafka.processArgs());
        args.addAll(List.of(
                "--checkpoint-dir",
                work.resolve("reference-checkpoints").toString(),
                "--work-dir",
                work.resolve("job").toString(),
                "--parallelism",
                Integer.toString(parallelism),
                "--checkpoint-interval",
                checkpointInterval,
                "--state-backend",
                backend,
                "--group-id",
                PASS_THROUGH_GROUP,
                "--transactional-id-prefix",
                PASS_THROUGH_GROUP));
        Timed t;
        try (FeedProgress progress =
                        new FeedProgress(kafka.client(), PASS_THROUGH_GROUP, DemoTopics.feedTopics(), "pass-through");
                ModuleProcess job = ModuleProcess.start(
                        frozen,
                        JOBS_MODULE,
                        PASS_THROUGH_JOB,
                        args,
                        JobJvm.jvmOptions(List.of(), List.of()),
                        work.resolve("reference.log"),
                        Pattern.compile("JOB RUNNING (\\S+)"))) {
            job.awaitReady(Duration.ofMinutes(3));
            t = timeUntilCaughtUp(progress, job, quick);
            ObjectNode ref = run.putObject("reference");
            ref.put("job", "pass-through: same topics, decode, one record out per event, exactly-once, no keyed state");
            ref.put("caughtUp", t.caughtUp());
            ref.put("seconds", t.seconds());
            ref.put("eventsCommitted", t.committed());
            ref.put("jobCpuSeconds", t.cpuNanos() / 1e9);
            ref.put("eventsPerSecondSteady", t.window().eventsPerSecond());
            ref.put("eventsPerJobCpuSecondSteady", t.window().eventsPerCpuSecond());
            ref.put("recordsOut", progress.statusEnd());
            r.line(String.format(
                    "%sreference (pass-through job, same topics, exactly-once, no keyed state): %s %,d"
                            + " events in %.1f s, %,.0f events/s steady, %,.0f per CPU-second of its process",
                    tag,
                    t.caughtUp() ? "all" : "DID NOT catch up:",
                    t.committed(),
                    t.seconds(),
                    t.window().eventsPerSecond(),
                    t.window().eventsPerCpuSecond()));
            if (!job.isAlive()) {
                r.note("the pass-through reference exited during the run: see reference.log (kept with --keep-work)");
            }
        }
        return t;
    }

    /** The risk job's steady rates as shares of the pass-through reference's, against DESIGN's goal. */
    private static void referenceRatio(Results r, ObjectNode run, Timed job, Timed reference, String tag) {
        double ref = reference.window().eventsPerSecond();
        double refCpu = reference.window().eventsPerCpuSecond();
        if (ref <= 0) {
            return;
        }
        double ratio = job.window().eventsPerSecond() / ref;
        run.put("ratioSteadyToReference", ratio);
        if (refCpu > 0) {
            run.put("ratioPerJobCpuSecondToReference", job.window().eventsPerCpuSecond() / refCpu);
        }
        run.put("referenceGoalMet", ratio >= REFERENCE_RATIO_GOAL);
        r.line(String.format(
                "%sratio to the same-run pass-through reference: %.2f steady events/s (goal >= %.1f: %s),"
                        + " %.2f per CPU-second",
                tag,
                ratio,
                REFERENCE_RATIO_GOAL,
                ratio >= REFERENCE_RATIO_GOAL ? "met" : "not met",
                refCpu > 0 ? job.window().eventsPerCpuSecond() / refCpu : Double.NaN));
    }

    /**
     * What the job committed to {@code rejected}: the synthetic city has no bad record, so anything there (pings
     * rejected as late when the job's watermark ran ahead of a partition it had marked idle on a starved machine)
     * means this run did not process the whole city as a clean run does, and its figures are not comparable.
     */
    private static void rejected(Results r, ObjectNode run, java.util.Properties client, String tag) {
        java.util.Map<String, Long> byCategory = RejectedCount.byCategory(client, "rejected");
        long total = byCategory.values().stream().mapToLong(Long::longValue).sum();
        ObjectNode j = run.putObject("rejectedRecords");
        j.put("total", total);
        byCategory.forEach(j::put);
        r.line(String.format("%srejected topic: %,d records%s", tag, total, total == 0 ? "" : " " + byCategory));
        if (total > 0) {
            r.note(String.format(
                    "%s%,d records were rejected (%s): the job did not process the whole city as a"
                            + " clean run does (late pings: its watermark passed a partition it had marked idle, e.g. on a"
                            + " starved machine); do not compare this run's figures with a clean run's",
                    tag, total, byCategory));
        }
    }

    private void freshness(
            Results r,
            ObjectNode run,
            Path root,
            Path work,
            KafkaTarget.Cluster kafka,
            FreshnessProbe probe,
            String tag,
            boolean quick)
            throws Exception {
        List<String> args = new ArrayList<>(kafka.processArgs());
        args.addAll(List.of("--data-dir", work.resolve("view").toString(), "--http-port", "0", "--dev-open-lookups"));
        try (ModuleProcess serve = ModuleProcess.start(
                root,
                "interop",
                SERVE_MAIN,
                args,
                List.of("-Xmx512m"),
                work.resolve("serve.log"),
                Pattern.compile("SERVING READY (\\S+)"))) {
            URI base = URI.create(serve.awaitReady(Duration.ofMinutes(2)));
            int count = probes != null ? probes : quick ? 3 : 30;
            Thread.sleep(3_000); // the view catches up with the status topic; the trickle moves the watermark
            long t = System.nanoTime();
            Histogram h = probe.probe(base, count, PROBE_TIMEOUT_MS, 200);
            ObjectNode f = msJson(h);
            f.put("probes", count);
            f.put("trickleEventsPerSecond", TRICKLE_PER_SECOND);
            f.put("seconds", (System.nanoTime() - t) / 1e9);
            run.set("freshness", f);
            r.line(String.format(
                    "%sfreshness (fever visit produced -> status 200 in a lookup), %d probes:"
                            + " p50 %d ms, p99 %d ms, max %d ms",
                    tag, count, h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue()));
            if (h.getMaxValue() >= PROBE_TIMEOUT_MS) {
                String why = probe.diagnose(kafka.client(), count);
                f.put("timeoutDiagnosis", why);
                r.note("freshness probes timed out (" + PROBE_TIMEOUT_MS / 1000 + " s): " + why);
            }
        }
    }

    /**
     * The city's events are stamped in 2022: with the topics' default time retention (7 days, by record timestamp) a
     * rolled segment (1 GB; the 1 M-person city writes several per partition) is deleted at the broker's next
     * retention check, before the job has read it, and the job's progress would count events it never saw.
     */
    private static void keepFeedsWhole(java.util.Properties client) throws Exception {
        java.util.Map<
                        org.apache.kafka.common.config.ConfigResource,
                        java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>>
                changes = new java.util.HashMap<>();
        for (String topic : DemoTopics.feedTopics()) {
            changes.put(
                    new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic),
                    List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                            new org.apache.kafka.clients.admin.ConfigEntry(
                                    org.apache.kafka.common.config.TopicConfig.RETENTION_MS_CONFIG, "-1"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
        }
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }

    /** Known failure signatures in the job's log, reported so a figure is never read without them. */
    private static void jobProblems(Results r, Path jobLog) throws java.io.IOException {
        if (!java.nio.file.Files.exists(jobLog)) {
            return;
        }
        String log = java.nio.file.Files.readString(jobLog);
        if (log.contains("InvalidRecordException: Timestamp ")) {
            r.note(
                    "the risk job's status sink wrote records whose timestamp Kafka refused (event-time stamps beyond the"
                            + " broker's log.message.timestamp.after.max.ms, 1 h): the job failed over; a risk-model bug");
        }
        if (log.contains("Timestamp 9223372036854775807")) {
            r.note("the risk job's status sink failed with record timestamp Long.MAX_VALUE (a watermark of +infinity "
                    + "reached PersonRiskFunction's timers, e.g. when every feed split is idle and only the rules "
                    + "source's MAX watermark is left) and the job restarted: a risk-model bug, see job.log");
        }
        long restarts = log.lines()
                .filter(l -> l.contains("switched from RUNNING to RESTARTING")
                        || l.contains("switched from RUNNING to FAILING"))
                .count();
        if (restarts > 0) {
            r.note("the risk job failed over " + restarts + " time(s) during the run (see job.log)");
        }
    }

    private static ObjectNode msJson(Histogram h) {
        ObjectNode n = Results.object();
        n.put("count", h.getTotalCount());
        n.put("p50Ms", h.getValueAtPercentile(50));
        n.put("p99Ms", h.getValueAtPercentile(99));
        n.put("maxMs", h.getMaxValue());
        return n;
    }

    private static void checkpoints(Results r, ObjectNode run, Path jobLog, Path dir, int n, String tag)
            throws Exception {
        List<CheckpointLog.Checkpoint> cps = CheckpointLog.read(jobLog);
        ObjectNode c = run.putObject("checkpoints");
        c.put("completed", cps.size());
        if (!cps.isEmpty()) {
            LongSummaryStatistics d =
                    cps.stream().mapToLong(CheckpointLog.Checkpoint::durationMs).summaryStatistics();
            List<Long> sorted = cps.stream()
                    .map(CheckpointLog.Checkpoint::durationMs)
                    .sorted()
                    .toList();
            c.put("durationMsMin", d.getMin());
            c.put("durationMsMedian", sorted.get(sorted.size() / 2));
            c.put("durationMsP90", sorted.get((int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * 0.9))));
            c.put("durationMsMax", d.getMax());
            long full = cps.get(cps.size() - 1).bytes();
            c.put("lastCheckpointBytesReported", full);
            c.put("lastCheckpointBytesPerPerson", full / (double) n);
            r.line(String.format(
                    "%slast checkpoint's full size (every file it references, as Flink reports it):"
                            + " %,d bytes = %,.0f bytes per person -> %.2f TB for 1.41 billion people",
                    tag, full, full / (double) n, full / (double) n * CHINA / 1e12));
            r.line(String.format(
                    "%scheckpoints: %d completed, duration median %d ms, p90 %d ms, max %d ms",
                    tag,
                    cps.size(),
                    c.get("durationMsMedian").asLong(),
                    c.get("durationMsP90").asLong(),
                    d.getMax()));
        }
        long bytes = CheckpointLog.directoryBytes(dir);
        c.put("retainedDirectoryBytes", bytes);
        double perPerson = bytes / (double) n;
        c.put("bytesPerPerson", perPerson);
        c.put("projectedBytesFor1410MillionPersons", perPerson * CHINA);
        r.line(String.format(
                "%sstate on disk: %,d bytes in the checkpoint directory = %,.0f bytes per person"
                        + " -> %.2f TB for 1.41 billion people (state grows with events too: the duplicate filter"
                        + " keeps the ids of the events within the allowed lateness, pings excepted)",
                tag, bytes, perPerson, perPerson * CHINA / 1e12));
    }

    /**
     * RocksDB's estimate of its live data (what a full compaction would keep; the other state of the job, in heap
     * and raw keyed state, is in the checkpoint figures only), per person, the projection, and by state name.
     */
    private static void liveState(Results r, ObjectNode run, StateMetrics.Sizes live, int n, String tag) {
        if (live == null) {
            return;
        }
        if (!live.answered()) {
            r.note(tag + "RocksDB live data not measured: the job's Prometheus reporter did not answer (job.log says"
                    + " why, e.g. the reporter factory missing from the job's class path)");
            return;
        }
        ObjectNode j = run.putObject("rocksDbLiveState");
        j.put("estimateLiveDataBytes", live.liveData());
        j.put("liveSstFilesBytes", live.liveSstFiles());
        double perPerson = live.liveData() / (double) n;
        j.put("estimateLiveDataBytesPerPerson", perPerson);
        j.put("projectedBytesFor1410MillionPersons", perPerson * CHINA);
        ObjectNode byState = j.putObject("estimateLiveDataBytesByState");
        live.liveDataByFamily().entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> byState.put(e.getKey(), e.getValue()));
        StringBuilder top = new StringBuilder();
        live.liveDataByFamily().entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> top.append(String.format(
                        "%s%s %.0f", top.length() == 0 ? "" : ", ", e.getKey(), e.getValue() / (double) n)));
        r.line(String.format(
                "%sRocksDB live data (estimate-live-data-size, all subtasks): %,d bytes = %,.0f bytes per"
                        + " person -> %.2f TB for 1.41 billion people; live SST files %,d bytes; per person by state:"
                        + " %s",
                tag, live.liveData(), perPerson, perPerson * CHINA / 1e12, live.liveSstFiles(), top));
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** CPU time (user + system) of process {@code pid} so far, in ns; 0 when unknown. */
    private static long cpuNanos(long pid) {
        return pid < 0
                ? 0
                : ProcessHandle.of(pid)
                        .flatMap(p -> p.info().totalCpuDuration())
                        .map(Duration::toNanos)
                        .orElse(0L);
    }

    /**
     * The steady window of a run: from the first sample at 10% of the committed progress to the first at 90%, or, on
     * a run that did not catch up, to the last sample (what it did process up to the timeout); when one sample holds
     * both, from the sample before it. Samples are
     * {elapsed ns, committed events, job CPU ns}.
     */
    record Steady(long[] from, long[] to, boolean toEnd) {
        double eventsPerSecond() {
            if (from == null || to == null || to[0] <= from[0]) {
                return 0;
            }
            return (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
        }

        /** Events per CPU-second of the job in the window; 0 when the CPU time is unknown. */
        double eventsPerCpuSecond() {
            if (from == null || to == null || to[2] <= from[2]) {
                return 0;
            }
            return (to[1] - from[1]) / ((to[2] - from[2]) / 1e9);
        }

        String describe() {
            return toEnd ? "10%-90% of progress" : "10% of the events to the timeout";
        }
    }

    static Steady steady(List<long[]> samples, long end) {
        long[] a = null;
        long[] b = null;
        for (long[] s : samples) {
            if (a == null && s[1] >= end / 10) {
                a = s;
            }
            if (b == null && s[1] >= end * 9 / 10) {
                b = s;
            }
        }
        if (b != null) {
            if (a == b) {
                // 10% and 90% committed at one sample (a small city in one checkpoint): from the sample before it
                int i = samples.indexOf(a);
                a = i > 0 ? samples.get(i - 1) : a;
            }
            return new Steady(a, b, true);
        }
        long[] last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        if (a == null || a == last) {
            // not even 10% (or only at the very end): from the first sample on
            a = samples.isEmpty() ? null : samples.get(0);
        }
        return new Steady(a, last, false);
    }
}
