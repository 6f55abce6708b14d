package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.ContactDesignation;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.proto.StatusRecord;
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
 * A region rebuilding its state: the live job starts with no checkpoint and a new consumer group on three days of
 * feeds already in Kafka (real broker). One consumer serves the police and health partitions in turns of about a
 * megabyte each; the police data is dense in event time (a day in 30 000 records), the health data sparse (three days
 * in 21 600), so each health turn carries event time further than each police turn. A partition waiting for its
 * turn must not be taken for a quiet one: idleness is a few milliseconds here (watermarks every 5 ms) so that every
 * turn counts, as a 5 s idleness does when a source reads many partitions slower than that. Judged by quiet alone,
 * the health partition carried time two days past the police data still waiting, and bindings and designations
 * were rejected as late.
 */
class BacklogIsNotLatenessTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final String PREFIX = "backlog-";
    private static final OffsetDateTime START = OffsetDateTime.parse("2022-04-01T00:00:00+08:00");
    private static final int BINDINGS = 30_000;
    private static final int TESTS = 3 * 24 * 300;

    @TempDir
    static Path work;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(work.resolve("kafka"), 0);
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (Feed f : Feed.values()) {
            topics.add(Topics.plain(PREFIX + f.wireName(), 1));
        }
        for (String t : List.of("status", "rejected", "rules", "audit", "interop", "vehicle-cases", "risk-areas")) {
            topics.add(Topics.plain(PREFIX + t, 1));
        }
        Topics.ensure(broker.bootstrapServers(), topics);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aJobStartedOnDaysOfBacklogRejectsNothingAsLate() throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (FeedProducer feeds = new FeedProducer(new KafkaProducer<>(FeedProducer.properties(bootstrap)), PREFIX)) {
            // police: dense, identity bindings every 3 s through the first day, a close-contact designation every 500th
            for (int i = 0; i < BINDINGS; i++) {
                OffsetDateTime t = START.plusSeconds(i * 3L);
                feeds.accept(Feed.POLICE, identity(i, t));
                if (i % 500 == 0) {
                    feeds.accept(Feed.POLICE, closeContact("trace-" + i, t, "p" + i));
                }
            }
            // health: sparse, a negative test every 12 s for three days: a fetch of it covers more event time
            for (int h = 0; h < TESTS; h++) {
                feeds.accept(Feed.HEALTH, test("lab-" + h, START.plusSeconds(12L * h), "q" + h, "negative"));
            }
            feeds.accept(Feed.HEALTH, test("lab-last", START.plusDays(3).plusHours(1), "last", "positive"));
            feeds.accept(Feed.HEALTH, test("lab-after", START.plusDays(3).plusHours(2), "zoe", "negative"));
            feeds.flush();
        }

        JobClient job = startJob();
        long started = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING && System.nanoTime() < started) {
            Thread.sleep(100);
        }
        Map<String, List<StatusRecord>> byPerson = new HashMap<>();
        List<String> late = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            c.subscribe(List.of(PREFIX + "status", PREFIX + "rejected"));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!byPerson.containsKey("last")
                    && System.nanoTime() < deadline
                    && job.getJobStatus().get() == JobStatus.RUNNING) {
                poll(c, byPerson, late);
            }
            for (int i = 0; i < 4; i++) {
                poll(c, byPerson, late);
            }
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
        assertThat(byPerson).as("the last event's person").containsKey("last");
        assertThat(late).as("records rejected").isEmpty();
        for (int i = 0; i < BINDINGS; i += 500) {
            assertThat(byPerson.get("p" + i))
                    .as("designated p" + i)
                    .isNotNull()
                    .first()
                    .satisfies(s -> assertThat(s.getColour()).isEqualTo("red"));
        }
    }

    private static void poll(
            KafkaConsumer<byte[], byte[]> c, Map<String, List<StatusRecord>> byPerson, List<String> rejected)
            throws Exception {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            if (r.topic().equals(PREFIX + "rejected")) {
                rejected.add(new String(r.headers().lastHeader("category").value(), StandardCharsets.UTF_8) + " "
                        + new String(r.headers().lastHeader("source").value(), StandardCharsets.UTF_8));
            } else {
                byPerson.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(StatusRecord.parseFrom(r.value()));
            }
        }
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
            "--group-id",
            "backlog-risk",
            "--transactional-id-prefix",
            "backlog-risk",
            "--out-of-orderness",
            "1s",
            "--checkpoint-interval",
            "500ms",
            "--idleness",
            "1ms",
            "--carrier-idleness",
            "1ms"
        });
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = RiskJobConfig.checkpointing(cfg.checkpointDir(), cfg.checkpointInterval());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(5));
        env.configure(conf);
        env.setParallelism(1); // one consumer serves both partitions in turns
        RiskJob.define(
                env,
                cfg,
                RuleSet.defaults(),
                new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))));
        return env.executeAsync("backlog");
    }

    private static Event identity(int i, OffsetDateTime t) {
        return Event.newBuilder()
                .setFeed("police")
                .setType("identity")
                .setEventId("id-" + i)
                .setTime(t.toString())
                .setRegion("440100")
                .setPersonId("p" + i)
                .setMsisdn(String.format("+86138%08d", i))
                .setIdentity(Identity.newBuilder().setAreaCode("440106"))
                .build();
    }

    private static Event closeContact(String id, OffsetDateTime t, String person) {
        return Event.newBuilder()
                .setFeed("police")
                .setType("contact_designation")
                .setEventId(id)
                .setTime(t.toString())
                .setRegion("440100")
                .setPersonId(person)
                .setContactDesignation(
                        ContactDesignation.newBuilder().setDegree(1).setExposure(t.toString()))
                .build();
    }

    private static Event test(String id, OffsetDateTime t, String person, String result) {
        return Event.newBuilder()
                .setFeed("health")
                .setType("test_result")
                .setEventId(id)
                .setTime(t.toString())
                .setRegion("440100")
                .setPersonId(person)
                .setTestResult(TestResult.newBuilder().setMethod("pcr").setResult(result))
                .build();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "backlog-reader");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
