package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.testing.PrometheusNames;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.rules.RuleSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job on a MiniCluster with Flink's Prometheus reporter, as deploy/flink/config.yaml sets it up: the domain
 * metrics (statuses by colour, rejections by topic and category, late events, events and event-time lag per feed)
 * are in the scrape, with the labels the dashboard and the alerts select on.
 */
class JobMetricsTest {
    private static final int[] PORTS = {freePort(), freePort()};

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(reporter())
            .build());

    @TempDir
    static Path work;

    private static KafkaBroker broker;
    private static final String PREFIX = "metrics-";
    /** The reporter writes label values with characters outside [A-Za-z0-9_] as underscores. */
    private static final String LABEL_PREFIX = "metrics_";

    /** The job and task managers of a MiniCluster each start a reporter: one port each. */
    static Configuration reporter() {
        Configuration c = new Configuration();
        c.setString(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", PORTS[0] + "," + PORTS[1]);
        return c;
    }

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(work.resolve("kafka"), 0);
        List<NewTopic> topics = new ArrayList<>();
        for (Feed f : Feed.values()) {
            topics.add(Topics.plain(PREFIX + f.wireName(), 1));
        }
        for (String t : List.of("status", "rejected", "rules", "audit", "vehicle-cases", "risk-areas")) {
            topics.add(Topics.plain(PREFIX + t, 1));
        }
        Topics.ensure(broker.bootstrapServers(), topics);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void domainMetricsAreExportedWithTheirLabels() throws Exception {
        JobClient job = startJob();
        Thread.sleep(4000); // every feed partition goes idle first, as in ExactlyOnceEndToEndTest
        String op = "flink_taskmanager_job_task_operator_";
        List<String> lateRejection = List.of(op + "user_healthcode_topic_category_rejections", "category=\"late\"");
        List<List<String>> wanted = List.of(
                List.of(op + "user_healthcode_colour_statuses", "colour=\"red\""),
                List.of(op + "user_healthcode_colour_statuses", "colour=\"yellow\""),
                List.of(
                        op + "user_healthcode_topic_category_rejections",
                        "category=\"malformed\"",
                        "topic=\"" + LABEL_PREFIX + "health\""),
                lateRejection,
                List.of(op + "healthcode_outcome_lateEvents", "outcome=\"rejected\""),
                List.of(op + "deserializer_healthcode_feed_events", "feed=\"" + LABEL_PREFIX + "health\""),
                List.of(op + "deserializer_healthcode_feed_eventTimeLagMs", "feed=\"" + LABEL_PREFIX + "health\""));
        Set<String> usedByOperators = PrometheusNames.usedIn(
                "flink_",
                DEPLOY.resolve("prometheus/alerts.yaml"),
                DEPLOY.resolve("grafana/healthcode-dashboard.json"));
        assertThat(usedByOperators).isNotEmpty();
        String scrape = "";
        try (FeedProducer feeds = new FeedProducer(
                new org.apache.kafka.clients.producer.KafkaProducer<>(
                        FeedProducer.properties(broker.bootstrapServers())),
                PREFIX)) {
            feeds.accept(Feed.HEALTH, test("lab-1", "2022-04-04T09:00:00+08:00", "alice", "positive"));
            feeds.accept(Feed.HEALTH, fever("fc-1", "2022-04-04T10:00:00+08:00", "bob"));
            feeds.acceptGarbage(Feed.HEALTH, "junk-1");
            feeds.accept(Feed.HEALTH, test("lab-2", "2022-04-08T09:00:00+08:00", "zoe", "negative"));
            feeds.accept(Feed.HEALTH, test("lab-3", "2022-04-09T09:00:00+08:00", "zoe", "negative"));
            feeds.flush();
            // a test a week older than lab-3, every 2 s until one is rejected as late: the first ones may come before
            // the watermark has moved past lab-3 (then they are applied), however slow the machine
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            for (int i = 0; System.nanoTime() < deadline; i++) {
                scrape = scrape();
                String s = scrape;
                if (wanted.stream().allMatch(w -> positive(s, w))
                        && PrometheusNames.exported(s).containsAll(usedByOperators)) {
                    break;
                }
                if (i % 4 == 0 && !positive(s, lateRejection)) {
                    feeds.accept(Feed.HEALTH, test("lab-old-" + i, "2022-04-01T09:00:00+08:00", "carl", "negative"));
                    feeds.flush();
                }
                Thread.sleep(500);
            }
        } finally {
            job.cancel().get();
        }
        for (List<String> w : wanted) {
            assertThat(positive(scrape, w))
                    .as(w + " in the scrape:\n" + healthcodeLines(scrape))
                    .isTrue();
        }
        // every Flink metric a dashboard panel or an alert of deploy/ reads is one the job exports
        assertThat(PrometheusNames.exported(scrape)).containsAll(usedByOperators);
    }

    /** The deploy folder beside the modules. */
    private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");

    /** True when a sample of metric {@code nameAndLabels[0]} with all the labels after it is above zero. */
    static boolean positive(String scrape, List<String> nameAndLabels) {
        String name = nameAndLabels.get(0);
        return scrape.lines()
                .filter(l -> l.startsWith(name + "{"))
                .filter(l ->
                        nameAndLabels.subList(1, nameAndLabels.size()).stream().allMatch(l::contains))
                .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
    }

    static String healthcodeLines(String scrape) {
        return String.join(
                "\n", scrape.lines().filter(l -> l.contains("healthcode")).toList());
    }

    /** Both reporters' scrapes (the MiniCluster's job and task manager). */
    static String scrape() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder all = new StringBuilder();
        for (int port : PORTS) {
            try {
                all.append(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
            } catch (java.io.IOException e) {
                // that reporter is not up (yet)
            }
        }
        return all.toString();
    }

    private static JobClient startJob() throws Exception {
        RiskJobConfig cfg = RiskJobConfig.parse(new String[] {
            "--bootstrap-servers",
            broker.bootstrapServers(),
            "--checkpoint-dir",
            work.resolve("checkpoints").toString(),
            "--work-dir",
            work.toString(),
            "--topic-prefix",
            PREFIX,
            "--out-of-orderness",
            "1s",
            "--idleness",
            "1s"
        });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = RiskJobConfig.checkpointing(cfg.checkpointDir(), Duration.ofMillis(500));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(conf);
        env.setParallelism(2);
        RiskJob.define(
                env,
                cfg,
                RuleSet.defaults(),
                new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))));
        return env.executeAsync("metrics");
    }

    private static Event test(String id, String time, String person, String result) {
        return Event.newBuilder()
                .setFeed("health")
                .setType("test_result")
                .setEventId(id)
                .setTime(time)
                .setRegion("440100")
                .setPersonId(person)
                .setTestResult(TestResult.newBuilder().setMethod("pcr").setResult(result))
                .build();
    }

    private static Event fever(String id, String time, String person) {
        return Event.newBuilder()
                .setFeed("health")
                .setType("fever_clinic_visit")
                .setEventId(id)
                .setTime(time)
                .setRegion("440100")
                .setPersonId(person)
                .setFeverClinicVisit(FeverClinicVisit.newBuilder().setClinicId("FC1"))
                .build();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
