package org.healthcode.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.contracts.topics.TopicCatalogue;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.ingest.sinks.JsonLinesSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real cluster, as an operator runs it: a standalone Flink session cluster (a JobManager and two
 * TaskManagers, each its own JVM on the class path of a Flink distribution's lib, configured from
 * deploy/flink/config.yaml) and three KRaft brokers (replication 3, min.insync.replicas 2). The job is submitted with
 * Flink's CLI ({@code flink run -d}), a small city is fed while a TaskManager and a broker are killed with -9, the
 * job is stopped with a savepoint and resumed from it at another parallelism, and the events that end the input come
 * then. The statuses on the topic must be the replay's, with no (person, seq) twice and nothing rejected as late.
 *
 * <p>Runs when asked ({@code -Dhealthcode.cluster=true}; about 3 minutes on a quiet machine, eight JVMs): it fails
 * while the rescaled job misses a contact (the module's README). A failed run keeps its directory, with every
 * process's log under {@code logs/}.
 */
@EnabledIfSystemProperty(named = "healthcode.cluster", matches = "true")
class ClusterTest {
    private static final Path ROOT = DeployFilesTest.ROOT;
    private static final String RISK_JOB = "org.healthcode.risk.RiskJob";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The module opens Flink needs on Java 17, as deploy/flink/config.yaml gives every Flink JVM. */
    private static final List<String> FLINK_OPENS;

    static {
        try {
            JsonNode conf = new YAMLMapper()
                    .readTree(
                            DeployFilesTest.DEPLOY.resolve("flink/config.yaml").toFile());
            FLINK_OPENS = List.of(conf.get("env.java.opts.all").asText().trim().split("\\s+"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private final List<ChildJvm> processes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopAll() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    @Test
    @Timeout(900)
    void theJobSurvivesAKilledTaskManagerAndBrokerAndResumesFromASavepointAtAnotherParallelism() throws Exception {
        long began = System.nanoTime();
        String flinkCp = classPath("cluster");
        String brokerCp = ROOT.resolve("broker/target/classes") + ":" + classPath("broker");

        // three brokers, each broker and controller
        int[] brokerPorts = {freePort(), freePort(), freePort()};
        int[] controllerPorts = {freePort(), freePort(), freePort()};
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        List<ChildJvm> formats = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            formats.add(formatBroker(n, brokerPorts, controllerPorts, clusterId, brokerCp));
        }
        for (ChildJvm format : formats) {
            assertThat(format.await(180)).as(format.output()).isZero();
        }
        List<ChildJvm> brokers = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            ChildJvm broker = ChildJvm.start(
                    "kafka-" + n,
                    brokerJvm(),
                    brokerCp,
                    "kafka.Kafka",
                    List.of(work.resolve("kafka-" + n)
                            .resolve("server.properties")
                            .toString()),
                    Map.of(),
                    work.resolve("logs/kafka-" + n + ".log"));
            processes.add(broker);
            brokers.add(broker);
        }
        String bootstrap = String.join(
                ",", Arrays.stream(brokerPorts).mapToObj(p -> "127.0.0.1:" + p).toList());
        createFeedTopics(bootstrap);

        // the Flink session cluster
        Path conf = flinkConf(work.resolve("flink"));
        int restPort = Integer.parseInt(readConf(conf, "rest.port"));
        String rest = "http://127.0.0.1:" + restPort;
        Map<String, ChildJvm> flink = new LinkedHashMap<>();
        flink.put("jobmanager", startJobManager(conf, flinkCp));
        flink.put("taskmanager-1", startTaskManager(conf, flinkCp, "taskmanager-1"));
        flink.put("taskmanager-2", startTaskManager(conf, flinkCp, "taskmanager-2"));
        awaitTaskManagers(rest, 2, flink, conf, flinkCp);
        ChildJvm tm1 = flink.get("taskmanager-1");

        Path jobJar = ROOT.resolve("risk-model/target/risk-model-job.jar");
        Path checkpoints = work.resolve("checkpoints");
        List<String> jobArgs = new ArrayList<>(List.of(
                "--bootstrap-servers",
                bootstrap,
                "--checkpoint-dir",
                checkpoints.toUri().toString(),
                "--work-dir",
                work.resolve("region").toString(),
                "--checkpoint-interval",
                "1s",
                "--out-of-orderness",
                "1s",
                // longer than the feed stalls when a broker dies (its session times out after 9 s, then new leaders
                // and in-sync sets): a partition passed over as idle meanwhile would see its records come late, and a
                // ping behind the carrier's watermark is rejected (other feeds allow 48 h, 27 s of this city's time)
                "--idleness",
                "10s",
                "--carrier-idleness",
                "20s"));

        // flink run -d returns once the job is submitted, with its id
        String firstJob = submit(conf, flinkCp, jobJar, jobArgs, "2", null);
        awaitCheckpoints(rest, firstJob, 1);

        // a small city, fed while a task manager and a broker die
        Path events = Files.createDirectories(work.resolve("events"));
        CityConfig city = new CityConfig(150, 3, 11, CityConfig.DEFAULT_START, 3 * 86_400 / 40.0, 0.01);
        List<String> timeline = new ArrayList<>();
        timeline.add(String.format("feeding from %.0f s", (System.nanoTime() - began) / 1e9));
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(
                () -> feed(bootstrap, events.resolve("1-city.jsonl"), sink -> new SyntheticCity(city).run(sink)));
        Thread.sleep(12_000);
        tm1.kill();
        timeline.add(String.format("taskmanager-1 killed at %.0f s", (System.nanoTime() - began) / 1e9));
        processes.add(ChildJvm.start(
                "taskmanager-3",
                tmJvm(conf, flinkCp),
                flinkCp,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                tmArgs(conf, flinkCp),
                Map.of(),
                work.resolve("logs/taskmanager-3.log")));
        Thread.sleep(8_000);
        brokers.get(2).kill();
        timeline.add(String.format("kafka-2 killed at %.0f s", (System.nanoTime() - began) / 1e9));
        feeding.get();
        timeline.add(String.format("feeding done at %.0f s", (System.nanoTime() - began) / 1e9));

        // stop with a savepoint once the job has taken a checkpoint after the failures
        awaitRunningWithNewCheckpoint(rest, firstJob);
        Map<String, Long> firstJobLate = lateCounters(rest, firstJob);
        ChildJvm stop = ChildJvm.start(
                "stop",
                flinkJvm(conf, "-Xmx256m"),
                flinkCp,
                "org.apache.flink.client.cli.CliFrontend",
                List.of("stop", "-p", work.resolve("savepoints").toUri().toString(), firstJob),
                Map.of("FLINK_CONF_DIR", conf.toString()),
                work.resolve("logs/stop.log"));
        processes.add(stop);
        assertThat(stop.await(300)).as(stop.output()).isZero();
        Matcher sp = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(stop.output());
        assertThat(sp.find()).as(stop.output()).isTrue();
        String savepoint = sp.group(1);

        // resume from the savepoint at parallelism 3; the checkpoint directory holds retained checkpoints of the
        // first run, and the savepoint given with -s must win over them
        String secondJob = submit(conf, flinkCp, jobJar, jobArgs, "3", savepoint);
        assertThat(restoredFrom(rest, secondJob)).isEqualTo(savepoint);
        // the events that end the input come now: the resumed job, not the first one, carries time to the end
        feed(bootstrap, events.resolve("2-end.jsonl"), sink -> endOfInput(city, sink));
        CompletableFuture<Map<String, JsonNode>> replaying = CompletableFuture.supplyAsync(() -> replay(events));

        awaitCarrierClock(rest, secondJob, endOfInput(city).minus(Duration.ofDays(1)));
        Map<String, List<StatusRecord>> live = readStatusesUntilQuiet(bootstrap, rest, secondJob);
        Map<String, Long> secondJobLate = lateCounters(rest, secondJob);
        Map<String, JsonNode> replay = replaying.get();
        Map<String, Integer> rejections = new java.util.TreeMap<>();
        List<String> late = rejected(bootstrap, rejections);
        System.out.printf(
                "CLUSTER TEST %s; rejected by category %s; late counters and idle splits (ms) of the first job since its"
                        + " last restart %s, of the second %s%n",
                timeline, rejections, firstJobLate, secondJobLate);

        List<String> twice = new ArrayList<>();
        live.forEach((person, statuses) -> {
            Set<Long> seqs = new HashSet<>();
            statuses.forEach(s -> {
                if (!seqs.add(s.getSeq())) {
                    twice.add(person + "#" + s.getSeq());
                }
            });
        });
        assertThat(twice).as("(person, seq) written twice").isEmpty();

        Map<String, String> liveFinal = new HashMap<>();
        live.forEach((person, statuses) -> {
            StatusRecord last = statuses.stream()
                    .max((a, b) -> Long.compare(a.getSeq(), b.getSeq()))
                    .orElseThrow();
            liveFinal.put(person, last.getColour() + "#" + last.getSeq());
        });
        Map<String, String> replayFinal = new HashMap<>();
        replay.forEach((person, s) -> {
            if (s.get("seq").asLong() > 0 && !person.equals(END_PERSON)) {
                replayFinal.put(
                        person, s.get("colour").asText() + "#" + s.get("seq").asLong());
            }
        });
        liveFinal.remove(END_PERSON);
        assertThat(replayFinal).isNotEmpty();
        assertThat(liveFinal)
                .as("final statuses live; records rejected as late live (the replay has none): %s", late)
                .isEqualTo(replayFinal);
        // the replay has nothing late: a late record live is a difference the city happened not to show
        assertThat(late).as("records rejected as late live").isEmpty();
        System.out.printf(
                "CLUSTER TEST %d persons with statuses, equal to the replay, in %.0f s%n",
                liveFinal.size(), (System.nanoTime() - began) / 1e9);
    }

    /** A person and a phone whose events come 60 days after the city, so every timed phase has ended on both sides. */
    private static final String END_PERSON = "cluster-test-end-of-input";

    /** What is written to both the feed topics and a file of the archive the replay reads. */
    private interface Feeding {
        void into(CitySink sink) throws Exception;
    }

    private void feed(String bootstrap, Path file, Feeding feeding) {
        try (JsonLinesSink lines = JsonLinesSink.toFile(file);
                FeedProducer kafka = new FeedProducer(new KafkaProducer<>(FeedProducer.properties(bootstrap)), "")) {
            CitySink both = new CitySink() {
                @Override
                public void accept(Feed feed, Event event) throws IOException {
                    lines.accept(feed, event);
                    kafka.accept(feed, event);
                }

                @Override
                public void acceptGarbage(Feed feed, String key) throws IOException {
                    kafka.acceptGarbage(feed, key);
                }

                @Override
                public void flush() throws IOException {
                    lines.flush();
                    kafka.flush();
                }

                @Override
                public void close() {}
            };
            feeding.into(both);
            both.flush();
        } catch (Exception e) {
            throw new IllegalStateException("feeding " + file.getFileName() + " failed", e);
        }
    }

    private static java.time.Instant endOfInput(CityConfig config) {
        return config.start().plus(Duration.ofDays(config.days() + 60));
    }

    /** A fever-clinic visit and a ping at {@link #endOfInput(CityConfig)}. */
    private static void endOfInput(CityConfig config, CitySink sink) throws IOException {
        String end = endOfInput(config).atOffset(ZoneOffset.ofHours(8)).toString();
        sink.accept(
                Feed.HEALTH,
                Event.newBuilder()
                        .setFeed("health")
                        .setType("fever_clinic_visit")
                        .setEventId("end-fever")
                        .setTime(end)
                        .setRegion("440100")
                        .setPersonId(END_PERSON)
                        .setFeverClinicVisit(FeverClinicVisit.newBuilder().setClinicId("FC-END"))
                        .build());
        sink.accept(
                Feed.CARRIER,
                Event.newBuilder()
                        .setFeed("carrier")
                        .setType("ping")
                        .setEventId("end-ping")
                        .setTime(end)
                        .setRegion("440100")
                        .setMsisdn("13800000000")
                        .setPing(Ping.newBuilder().setLat(23.1).setLon(113.3))
                        .build());
    }

    private List<String> brokerJvm() {
        return List.of("-Xmx384m", "-Dlog4j2.configurationFile=" + log4j());
    }

    /** Writes broker {@code n}'s server.properties and starts formatting its storage (the JVM is returned). */
    private ChildJvm formatBroker(int n, int[] brokerPorts, int[] controllerPorts, String clusterId, String cp)
            throws Exception {
        Path dir = work.resolve("kafka-" + n);
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(n + 1));
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        p.setProperty("controller.quorum.voters", String.join(",", voters));
        p.setProperty(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + brokerPorts[n] + ",CONTROLLER://127.0.0.1:" + controllerPorts[n]);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[n]);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("logs").toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "2");
        p.setProperty("default.replication.factor", "3");
        p.setProperty("min.insync.replicas", "2");
        p.setProperty("offsets.topic.replication.factor", "3");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "3");
        p.setProperty("transaction.state.log.min.isr", "2");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        Path props = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(props)) {
            p.store(out, "cluster test broker " + (n + 1));
        }
        ChildJvm format = ChildJvm.start(
                "format-" + n,
                brokerJvm(),
                cp,
                "kafka.tools.StorageTool",
                List.of("format", "-t", clusterId, "-c", props.toString()),
                Map.of(),
                work.resolve("logs/kafka-format-" + n + ".log"));
        processes.add(format);
        return format;
    }

    private static void createFeedTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "120000"))) {
            // three JVMs forming a quorum took over two minutes on a loaded machine
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (brokersUp(admin) < 3) {
                assertThat(System.nanoTime()).as("three brokers up").isLessThan(deadline);
                Thread.sleep(500);
            }
            List<NewTopic> feeds = TopicCatalogue.authorityFeeds().stream()
                    .map(t -> new NewTopic(t.name(), 2, (short) 3))
                    .toList();
            admin.createTopics(feeds).all().get();
        }
    }

    private static int brokersUp(Admin admin) throws InterruptedException {
        try {
            return admin.describeCluster(new org.apache.kafka.clients.admin.DescribeClusterOptions().timeoutMs(30_000))
                    .nodes()
                    .get()
                    .size();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                return 0; // no broker answers yet
            }
            throw new IllegalStateException(e);
        }
    }

    /** deploy/flink/config.yaml with this machine's ports, directories and a test-sized memory. */
    private Path flinkConf(Path dir) throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> c = new LinkedHashMap<>(yaml.readValue(
                DeployFilesTest.DEPLOY.resolve("flink/config.yaml").toFile(), Map.class));
        c.keySet().removeIf(k -> k.startsWith("metrics.reporter."));
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("jobmanager.rpc.port", freePort());
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", freePort());
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
        c.put(
                "execution.checkpointing.savepoint-dir",
                work.resolve("savepoints").toUri().toString());
        c.put("state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        c.put("io.tmp.dirs", work.resolve("tmp").toString());
        c.put("jobmanager.memory.process.size", "1024m");
        c.put("taskmanager.memory.process.size", "1728m");
        c.put("parallelism.default", 2);
        // a killed task manager is noticed in 20 s, not after the default 50 s; less declared live ones dead on a
        // machine shared with other builds (8 s did)
        c.put("heartbeat.interval", 2000);
        c.put("heartbeat.timeout", 20000);
        c.put("pekko.ask.timeout", "60 s"); // a deployment on a busy task manager took over the default 10 s
        // a JobManager starting on a loaded machine did not bind its actor system within the default 10 s
        c.put("pekko.startup-timeout", "60 s");
        c.put("restart-strategy.exponential-delay.max-backoff", "5s");
        Files.createDirectories(dir);
        yaml.writeValue(dir.resolve("config.yaml").toFile(), c);
        return dir;
    }

    private static String readConf(Path dir, String key) throws IOException {
        return new YAMLMapper()
                .readTree(dir.resolve("config.yaml").toFile())
                .get(key)
                .asText();
    }

    private List<String> flinkJvm(Path conf, String heap) {
        List<String> jvm = new ArrayList<>(
                List.of(heap, "-Dlog4j2.configurationFile=" + log4j(), "-Dlog.file=" + work.resolve("logs/flink.log")));
        jvm.addAll(FLINK_OPENS);
        return jvm;
    }

    private ChildJvm startJobManager(Path conf, String cp) throws Exception {
        ChildJvm jm = ChildJvm.start(
                "jobmanager",
                flinkJvm(conf, "-Xmx768m"),
                cp,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of("--configDir", conf.toString()),
                Map.of(),
                work.resolve("logs/jobmanager.log"));
        processes.add(jm);
        return jm;
    }

    private ChildJvm startTaskManager(Path conf, String cp, String name) throws Exception {
        ChildJvm tm = ChildJvm.start(
                name,
                tmJvm(conf, cp),
                cp,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                tmArgs(conf, cp),
                Map.of(),
                work.resolve("logs/" + name + ".log"));
        processes.add(tm);
        return tm;
    }

    private Map<String, List<String>> tmResources;

    /** The memory options Flink's start scripts compute for a task manager (BashJavaUtils), JVM and dynamic. */
    private Map<String, List<String>> tmResources(Path conf, String cp) throws Exception {
        if (tmResources == null) {
            ChildJvm utils = ChildJvm.start(
                    "bash-java-utils",
                    List.of("-Xmx128m"),
                    cp,
                    "org.apache.flink.runtime.util.bash.BashJavaUtils",
                    List.of("GET_TM_RESOURCE_PARAMS", "--configDir", conf.toString()),
                    Map.of(),
                    work.resolve("logs/bash-java-utils.log"));
            assertThat(utils.await(60)).as(utils.output()).isZero();
            List<String> results = utils.output()
                    .lines()
                    .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                    .map(l ->
                            l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
                    .toList();
            assertThat(results).as(utils.output()).hasSizeGreaterThanOrEqualTo(2);
            tmResources = Map.of(
                    "jvm",
                    List.of(results.get(results.size() - 2).split("\\s+")),
                    "dynamic",
                    List.of(results.get(results.size() - 1).split("\\s+")));
        }
        return tmResources;
    }

    private List<String> tmJvm(Path conf, String cp) throws Exception {
        List<String> jvm = new ArrayList<>(tmResources(conf, cp).get("jvm"));
        jvm.add("-Dlog4j2.configurationFile=" + log4j());
        jvm.addAll(FLINK_OPENS);
        return jvm;
    }

    private List<String> tmArgs(Path conf, String cp) throws Exception {
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        args.addAll(tmResources(conf, cp).get("dynamic"));
        return args;
    }

    /** {@code flink run -d} of the job jar; returns the job id the job printed, after the CLI has returned. */
    private String submit(Path conf, String cp, Path jar, List<String> jobArgs, String parallelism, String savepoint)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d"));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.addAll(List.of("-c", RISK_JOB, jar.toString()));
        args.addAll(jobArgs);
        args.addAll(List.of("--parallelism", parallelism));
        String name = savepoint == null ? "run-1" : "run-2";
        ChildJvm cli = ChildJvm.start(
                name,
                flinkJvm(conf, "-Xmx384m"),
                cp,
                "org.apache.flink.client.cli.CliFrontend",
                args,
                Map.of("FLINK_CONF_DIR", conf.toString()),
                work.resolve("logs/" + name + ".log"));
        processes.add(cli);
        assertThat(cli.await(300)).as(cli.output()).isZero();
        Matcher m = Pattern.compile("JOB RUNNING ([0-9a-f]{32})").matcher(cli.output());
        assertThat(m.find()).as(cli.output()).isTrue();
        return m.group(1);
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /**
     * Waits until {@code n} task managers have registered. A Flink process that exits meanwhile is started again (at
     * most twice each): on a loaded machine a JobManager exited with "Could not create actor system" (its actor
     * system did not bind within 10 s, whatever pekko.startup-timeout says); task managers retry their connection
     * until it is back, on the same port.
     */
    private void awaitTaskManagers(String rest, int n, Map<String, ChildJvm> flink, Path conf, String cp)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        Map<String, Integer> restarts = new HashMap<>();
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, ChildJvm> e : flink.entrySet()) {
                if (!e.getValue().isAlive()) {
                    int times = restarts.merge(e.getKey(), 1, Integer::sum);
                    assertThat(times)
                            .as(e.getKey() + " exited at start " + times + " times; its log: logs/" + e.getKey()
                                    + ".log")
                            .isLessThanOrEqualTo(2);
                    System.out.printf("CLUSTER TEST %s exited at start, starting it again%n", e.getKey());
                    e.setValue(
                            e.getKey().equals("jobmanager")
                                    ? startJobManager(conf, cp)
                                    : startTaskManager(conf, cp, e.getKey()));
                }
            }
            try {
                if (get(rest + "/overview").path("taskmanagers").asInt() >= n) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(n + " task managers not registered within 300 s");
    }

    private long completedCheckpoints(String rest, String job) throws Exception {
        return get(rest + "/jobs/" + job + "/checkpoints")
                .path("counts")
                .path("completed")
                .asLong();
    }

    private void awaitCheckpoints(String rest, String job, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (completedCheckpoints(rest, job) < n) {
            assertThat(System.nanoTime()).as("checkpoint " + n + " of " + job).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private void awaitRunningWithNewCheckpoint(String rest, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        long before = completedCheckpoints(rest, job);
        while (!(get(rest + "/jobs/" + job).path("state").asText().equals("RUNNING")
                && completedCheckpoints(rest, job) > before + 1)) {
            assertThat(System.nanoTime())
                    .as("job " + job + " running with new checkpoints")
                    .isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    private String restoredFrom(String rest, String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode restored =
                    get(rest + "/jobs/" + job + "/checkpoints").path("latest").path("restored");
            if (!restored.isMissingNode() && !restored.isNull()) {
                return restored.path("external_path").asText();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("job " + job + " did not report a restore");
    }

    /** Reads the status topic (read_committed) until nothing new arrives for 20 s while checkpoints complete. */
    private Map<String, List<StatusRecord>> readStatusesUntilQuiet(String bootstrap, String rest, String job)
            throws Exception {
        Map<String, List<StatusRecord>> byPerson = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = c.partitionsFor("status").stream()
                    .map(i -> new TopicPartition("status", i.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            long quietSince = System.nanoTime();
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            long checkpointsAtQuiet = completedCheckpoints(rest, job);
            while (System.nanoTime() < deadline) {
                int n = 0;
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    byPerson.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(StatusRecord.parseFrom(r.value()));
                    n++;
                }
                if (n > 0) {
                    quietSince = System.nanoTime();
                    checkpointsAtQuiet = completedCheckpoints(rest, job);
                } else if (System.nanoTime() - quietSince
                                > Duration.ofSeconds(20).toNanos()
                        && completedCheckpoints(rest, job) > checkpointsAtQuiet + 3) {
                    return byPerson;
                }
            }
        }
        throw new AssertionError("the status topic did not settle within 300 s");
    }

    /**
     * The records the job rejected, read_committed from the start of the topic: counted by category into
     * {@code byCategory}; returned, the source and reason of those rejected as late.
     */
    private static List<String> rejected(String bootstrap, Map<String, Integer> byCategory) {
        List<String> late = new ArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = c.partitionsFor("rejected").stream()
                    .map(i -> new TopicPartition("rejected", i.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    byCategory.merge(header(r, "category"), 1, Integer::sum);
                    if ("late".equals(header(r, "category"))) {
                        late.add(header(r, "source") + " " + header(r, "reason"));
                    }
                }
            }
        }
        return late;
    }

    /** The job's counters of late records, and how long each source split was idle (ms), as Flink names them. */
    private static final Pattern LATE_OR_IDLE =
            Pattern.compile("\\.late[A-Z]\\w*$|\\.split\\..*\\.watermark\\.accumulatedIdleTimeMs$");

    /**
     * The job's counters of late records and its source splits' idle times (summed over subtasks), by metric name.
     * They start again at zero when a task restarts.
     */
    private Map<String, Long> lateCounters(String rest, String job) throws Exception {
        Map<String, Long> counters = new java.util.TreeMap<>();
        for (JsonNode vertex : get(rest + "/jobs/" + job).path("vertices")) {
            String base =
                    rest + "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> names = new ArrayList<>();
            for (JsonNode m : get(base)) {
                String id = m.path("id").asText();
                if (LATE_OR_IDLE.matcher(id).find()) {
                    names.add(URLEncoder.encode(id, StandardCharsets.UTF_8));
                }
            }
            if (!names.isEmpty()) {
                for (JsonNode m : get(base + "?agg=sum&get=" + String.join(",", names))) {
                    counters.merge(m.path("id").asText(), m.path("sum").asLong(), Long::sum);
                }
            }
        }
        return counters;
    }

    /**
     * Waits until the contact detection's input watermark (the lower of the carrier pings' and the identity bindings'
     * at the phone stays, every subtask) has passed {@code at}: every ping before it has been applied.
     */
    private void awaitCarrierClock(String rest, String job, java.time.Instant at) throws Exception {
        String name = "phone_stays.currentInputWatermark";
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        Map<String, Long> seen = new java.util.TreeMap<>();
        while (System.nanoTime() < deadline) {
            seen.clear();
            for (JsonNode vertex : get(rest + "/jobs/" + job).path("vertices")) {
                String base =
                        rest + "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
                for (JsonNode m : get(base)) {
                    String id = m.path("id").asText();
                    if (id.endsWith(name)) {
                        for (JsonNode v : get(base + "?agg=min&get=" + URLEncoder.encode(id, StandardCharsets.UTF_8))) {
                            seen.put(id, v.path("min").asLong());
                        }
                    }
                }
            }
            if (!seen.isEmpty() && seen.values().stream().allMatch(w -> w >= at.toEpochMilli())) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(
                "the watermark at the phone stays did not pass " + at + " within 300 s (" + name + "): " + seen);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The replay of the same events (ReplayJob in its own JVM on the risk-model class path): person -> status. */
    private Map<String, JsonNode> replay(Path events) {
        try {
            return replayed(events);
        } catch (Exception e) {
            throw new IllegalStateException("the replay failed", e);
        }
    }

    private Map<String, JsonNode> replayed(Path events) throws Exception {
        Path out = work.resolve("replay");
        String cp = ROOT.resolve("risk-model/target/classes") + ":" + classPath("risk-model");
        ChildJvm replay = ChildJvm.start(
                "replay",
                List.of("-Xmx768m"),
                cp,
                "org.healthcode.risk.ReplayJob",
                List.of(
                        "--events",
                        events.toString(),
                        "--out",
                        out.toString(),
                        "--work-dir",
                        work.resolve("region").toString(),
                        "--parallelism",
                        "2"),
                Map.of(),
                work.resolve("logs/replay.log"));
        processes.add(replay);
        assertThat(replay.await(300)).as(replay.output()).isZero();
        Map<String, JsonNode> byPerson = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("statuses.jsonl"))) {
            JsonNode s = JSON.readTree(line);
            byPerson.put(s.get("personId").asText(), s);
        }
        return byPerson;
    }

    private static String classPath(String module) throws IOException {
        Path file = ROOT.resolve(module).resolve("target/classpath.txt");
        assertThat(file).as("written by the build before the tests").exists();
        return Files.readString(file).trim();
    }

    private static String log4j() {
        return ClusterTest.class.getResource("/cluster-log4j2.properties").getPath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
