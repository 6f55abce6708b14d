package org.healthcode.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.overrides.OverrideSignatures;

/**
 * The one-machine deployment: an embedded broker, the job and the lookup service as child processes, the
 * synthetic city as a producer, and a progress line every few seconds.
 *
 * <p>Everything durable lives under the work directory, so a second run resumes: the broker keeps its log,
 * the job restores its latest retained checkpoint (Kafka offsets and keyed state), the lookup service keeps
 * its RocksDB view and the offsets stored with it.
 */
public final class Demo implements AutoCloseable {
    private static final Pattern JOB_READY = Pattern.compile("JOB RUNNING (\\S+)");
    private static final Pattern SERVING_READY = Pattern.compile("SERVING READY (\\S+)");
    private static final Pattern CITY_DONE = Pattern.compile("CITY DONE(.*)");

    private final DemoSettings settings;
    private final PrintStream out;
    private final List<ModuleProcess> children = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long startedAt = System.nanoTime();
    private KafkaBroker broker;
    private String bootstrap;
    private String lookupUrl;
    private ModuleProcess city;
    private Progress progress;
    private volatile boolean closing;

    public Demo(DemoSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Starts broker, topics, job, lookup service and city, each waiting for the previous to be ready. */
    public void start() throws Exception {
        Path work = settings.workDir();
        if (settings.fresh()) {
            say("--fresh: deleting " + work);
            deleteRecursively(work);
        }
        Files.createDirectories(work);
        Path logs = work.resolve("logs");

        KafkaClientSettings kafka = settings.kafkaConfig() == null
                ? KafkaClientSettings.NONE
                : KafkaClientSettings.load(settings.kafkaConfig());
        List<String> kafkaOption = settings.kafkaConfig() == null
                ? List.of()
                : List.of(KafkaClientSettings.OPTION, settings.kafkaConfig().toString());
        if (settings.bootstrapServers() == null) {
            if (settings.kafkaConfig() != null) {
                throw new IllegalArgumentException(KafkaClientSettings.OPTION + " needs --bootstrap-servers: the "
                        + "embedded broker speaks plaintext on 127.0.0.1");
            }
            int port = freeOr(settings.kafkaPort());
            say("starting Kafka broker (KRaft) on 127.0.0.1:" + port + ", data in " + work.resolve("kafka")
                    + "; plaintext without authentication, on loopback only (a region's cluster uses SASL_SSL: "
                    + "--bootstrap-servers with --kafka-config)");
            broker = KafkaBroker.start(work.resolve("kafka"), port);
            bootstrap = broker.bootstrapServers();
        } else {
            bootstrap = settings.bootstrapServers();
            say("using Kafka at " + bootstrap + " (" + kafka.describe() + ")");
        }
        DemoTopics.create(bootstrap, kafka);

        // the lookup service signs the override events its operators submit; the job accepts only those
        Path overrideKey = work.resolve("view").resolve("override-key");
        OverrideSignatures.openOrCreate(overrideKey);
        say("starting the risk job (local MiniCluster, RocksDB state, exactly-once to 'status'); log: "
                + logs.resolve("job.log"));
        ModuleProcess job = ModuleProcess.start(
                settings.projectRoot(),
                "risk-model",
                "org.healthcode.risk.RiskJob",
                concat(
                        List.of(
                                "--bootstrap-servers",
                                bootstrap,
                                "--checkpoint-dir",
                                work.resolve("checkpoints").toString(),
                                "--work-dir",
                                work.toString(),
                                "--override-key",
                                overrideKey
                                        .resolve(OverrideSignatures.PUBLIC_KEY_FILE)
                                        .toString()),
                        kafkaOption),
                JobJvm.jvmOptions(List.of("-Xmx2g"), List.of()),
                logs.resolve("job.log"),
                JOB_READY);
        children.add(job);

        int httpPort = freeOr(settings.httpPort());
        say("starting the lookup service on port " + httpPort + "; log: " + logs.resolve("serving.log"));
        ModuleProcess serving = ModuleProcess.start(
                settings.projectRoot(),
                "interop",
                "org.healthcode.interop.ServeMain",
                concat(
                        List.of(
                                "--bootstrap-servers",
                                bootstrap,
                                "--data-dir",
                                work.resolve("view").toString(),
                                "--http-port",
                                Integer.toString(httpPort),
                                // one machine, loopback only: lookups without credentials act as the app role (printed
                                // loudly
                                // by the service); a region's real deployment issues API keys or client certificates
                                // instead
                                "--dev-open-lookups"),
                        kafkaOption),
                List.of("-Xmx1g"),
                logs.resolve("serving.log"),
                SERVING_READY);
        children.add(serving);

        say("risk job running: " + job.awaitReady(Duration.ofMinutes(3)));
        lookupUrl = serving.awaitReady(Duration.ofMinutes(2));
        say("lookup service ready at " + lookupUrl);

        Path cityDone = work.resolve("city.done");
        if (Files.exists(cityDone)) {
            say(
                    "the synthetic city already ran to its end in this work directory (state kept); use --fresh to start over");
        } else {
            say("starting the synthetic city: " + settings.persons() + " persons, " + settings.days() + " days, seed "
                    + settings.seed() + ", " + (long) settings.speed() + "x real time; log: "
                    + logs.resolve("city.log"));
            city = ModuleProcess.start(
                    settings.projectRoot(),
                    "ingest",
                    "org.healthcode.ingest.city.SyntheticCityMain",
                    concat(
                            List.of(
                                    "--bootstrap-servers",
                                    bootstrap,
                                    "--persons",
                                    Integer.toString(settings.persons()),
                                    "--days",
                                    Integer.toString(settings.days()),
                                    "--seed",
                                    Long.toString(settings.seed()),
                                    "--speed",
                                    Double.toString(settings.speed()),
                                    "--bad-rate",
                                    Double.toString(settings.badRate())),
                            kafkaOption),
                    List.of("-Xmx1g"),
                    logs.resolve("city.log"),
                    CITY_DONE);
            children.add(city);
            Thread marker = new Thread(
                    () -> {
                        try {
                            city.awaitReady(Duration.ofDays(365));
                            Files.writeString(cityDone, "done\n");
                            say(
                                    "the synthetic city has produced all its events; the engine keeps serving (Ctrl-C to stop)");
                        } catch (IOException e) {
                            // stopped before its end: the next run produces it again, and the job drops the duplicates
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "city-watch");
            marker.setDaemon(true);
            marker.start();
        }
        progress = new Progress(bootstrap, kafka, lookupUrl, out, startedAt);
        progress.start();
    }

    /** Blocks until Ctrl-C (the shutdown hook releases it) or until a child process dies. */
    public void runUntilInterrupted() throws InterruptedException {
        Thread hook = new Thread(
                () -> {
                    say("stopping (state and offsets are kept; run again to resume, --fresh to start over)...");
                    close();
                    stopped.countDown();
                },
                "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            for (ModuleProcess child : List.copyOf(children)) {
                if (!closing && child != city && !child.isAlive()) {
                    say(child.name() + " stopped unexpectedly; see the logs under "
                            + settings.workDir().resolve("logs"));
                    return;
                }
            }
        }
    }

    public String lookupUrl() {
        return lookupUrl;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public synchronized void close() {
        closing = true;
        if (progress != null) {
            progress.close();
            progress = null;
        }
        // The city first (no new input), then the job (its last checkpoint is retained), then the lookup service.
        for (ModuleProcess child : children) {
            child.close();
        }
        children.clear();
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private void say(String line) {
        long s = (System.nanoTime() - startedAt) / 1_000_000_000L;
        out.printf("[%4ds] %s%n", s, line);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int freeOr(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket(preferred, 1, java.net.InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String httpGet(HttpClient client, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
