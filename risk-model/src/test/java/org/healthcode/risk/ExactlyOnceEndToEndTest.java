package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
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
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.proto.Ping;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real in-process KRaft broker: Protobuf events on the feed topics -> the live job (RocksDB, checkpoints,
 * exactly-once sinks) -> the compacted {@code status} topic read with read_committed, and {@code rejected}.
 */
class ExactlyOnceEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir
    static Path work;

    private static KafkaBroker broker;

    /** Topic prefix of the idle-feeds job, so the jobs share the broker without sharing topics. */
    private static final String IDLE = "idle-";

    /** Topic prefix of the day-late carrier job. */
    private static final String LATE = "late-";

    /** Topic prefix of the day-late carrier job whose carrier feed then stops with the stays still open. */
    private static final String STOPPED = "stopped-";

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(work.resolve("kafka"), 0);
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (Feed f : Feed.values()) {
            topics.add(Topics.plain(f.wireName(), 1));
        }
        topics.add(Topics.status(2));
        topics.add(Topics.plain("rejected", 1));
        topics.add(Topics.plain("rules", 1));
        for (Feed f : Feed.values()) {
            topics.add(Topics.plain(IDLE + f.wireName(), 1));
        }
        topics.add(Topics.plain(IDLE + "status", 1));
        topics.add(Topics.plain(IDLE + "rejected", 1));
        topics.add(Topics.plain(IDLE + "rules", 1));
        topics.add(Topics.plain(IDLE + "audit", 1));
        topics.add(Topics.plain(IDLE + "vehicle-cases", 1));
        topics.add(Topics.plain(IDLE + "risk-areas", 1));
        for (String prefix : List.of(LATE, STOPPED)) {
            for (Feed f : Feed.values()) {
                topics.add(Topics.plain(prefix + f.wireName(), 1));
            }
            for (String t : List.of("status", "rejected", "rules", "audit", "vehicle-cases", "risk-areas")) {
                topics.add(Topics.plain(prefix + t, 1));
            }
        }
        Topics.ensure(broker.bootstrapServers(), topics);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
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

    @Test
    void statusesReachTheStatusTopicExactlyOnceAndGarbageReachesRejected() throws Exception {
        String bootstrap = broker.bootstrapServers();
        JobClient job = startJob("exactly-once e2e", "checkpoints", "--idleness", "1s");
        // let every feed partition go idle first (idleness 1 s): time must still come from the events when they arrive,
        // not from the idle-aware rules input
        Thread.sleep(4000);
        try (FeedProducer feeds = new FeedProducer(bootstrap)) {
            feeds.accept(Feed.HEALTH, test("lab-1", "2022-04-04T09:00:00+08:00", "alice", "positive"));
            feeds.accept(Feed.HEALTH, fever("fc-1", "2022-04-04T10:00:00+08:00", "bob"));
            feeds.accept(Feed.HEALTH, fever("fc-1", "2022-04-04T10:00:00+08:00", "bob")); // a duplicate
            feeds.acceptGarbage(Feed.HEALTH, "junk-1");
            // a later event moves the watermark past the ones above
            feeds.accept(Feed.HEALTH, test("lab-2", "2022-04-05T09:00:00+08:00", "zoe", "negative"));
        }
        try {
            Map<String, List<StatusRecord>> byPerson = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> rejected = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
                c.subscribe(List.of("status", "rejected"));
                while (System.nanoTime() < deadline && (byPerson.size() < 2 || rejected.isEmpty())) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.topic().equals("rejected")) {
                            rejected.add(r);
                        } else {
                            byPerson.computeIfAbsent(
                                            new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                                    .add(StatusRecord.parseFrom(r.value()));
                        }
                    }
                }
                // anything else committed by a few more checkpoints would show up here
                for (int i = 0; i < 4; i++) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.topic().equals("status")) {
                            byPerson.computeIfAbsent(
                                            new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                                    .add(StatusRecord.parseFrom(r.value()));
                        }
                    }
                }
            }
            assertThat(byPerson.keySet()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(byPerson.get("alice")).singleElement().satisfies(s -> {
                assertThat(s.getColour()).isEqualTo("red");
                assertThat(s.getSeq()).isEqualTo(1);
                assertThat(s.getConditions(0).getReason()).isEqualTo("positive_test");
                assertThat(s.getConditions(0).getCauseList()).containsExactly("lab-1");
                assertThat(s.getRuleVersion()).isEqualTo("2022.1-default");
            });
            assertThat(byPerson.get("bob"))
                    .singleElement()
                    .satisfies(s -> assertThat(s.getColour()).isEqualTo("yellow"));
            assertThat(rejected).singleElement().satisfies(r -> {
                assertThat(new String(r.headers().lastHeader("category").value(), StandardCharsets.UTF_8))
                        .isEqualTo("malformed");
                assertThat(new String(r.headers().lastHeader("source").value(), StandardCharsets.UTF_8))
                        .startsWith("health/0@");
            });
        } finally {
            job.cancel().get();
        }
    }

    private static Event closeContact(String id, String time, String person, String exposure) {
        return Event.newBuilder()
                .setFeed("police")
                .setType("contact_designation")
                .setEventId(id)
                .setTime(time)
                .setRegion("440100")
                .setPersonId(person)
                .setContactDesignation(
                        ContactDesignation.newBuilder().setDegree(1).setExposure(exposure))
                .build();
    }

    /**
     * A regression: the rules source's watermark was once the end of time, so once every feed split went
     * idle the person operator's watermark became +infinity: its timers fired (a close contact turned yellow at its
     * 7-day phase end a week ahead of any event) and the next input was stamped Long.MAX_VALUE, which the status
     * topic refuses, failing the job. Here the feeds go quiet after input and come back: nothing may be stamped
     * after the latest event, no condition may move on, and the job must keep running.
     */
    @Test
    void feedsGoingIdleAfterInputMoveNoTimersAndStampNothingBeyondTheEvents() throws Exception {
        String bootstrap = broker.bootstrapServers();
        JobClient job = startJob(
                "idle feeds",
                "idle-checkpoints",
                "--topic-prefix",
                IDLE,
                "--group-id",
                "idle-risk",
                "--transactional-id-prefix",
                "idle-risk",
                "--idleness",
                "500ms");
        awaitRunning(job);
        Map<String, List<StatusRecord>> byPerson = new HashMap<>();
        try (FeedProducer feeds = new FeedProducer(new KafkaProducer<>(FeedProducer.properties(bootstrap)), IDLE);
                KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            c.subscribe(List.of(IDLE + "status"));
            feeds.accept(
                    Feed.POLICE,
                    closeContact("trace-1", "2022-04-04T09:00:00+08:00", "alice", "2022-04-04T08:00:00+08:00"));
            feeds.accept(Feed.HEALTH, test("lab-idle-1", "2022-04-05T09:00:00+08:00", "zoe", "negative"));
            feeds.flush();
            readUntil(c, byPerson, job, "alice");
            // every feed split now goes idle (500 ms) and stays so for several idleness periods and checkpoints
            Thread.sleep(4000);
            feeds.accept(Feed.HEALTH, fever("fc-idle-1", "2022-04-05T10:00:00+08:00", "bob"));
            feeds.accept(Feed.HEALTH, test("lab-idle-2", "2022-04-06T09:00:00+08:00", "zoe", "negative"));
            feeds.flush();
            readUntil(c, byPerson, job, "bob");
            for (int i = 0; i < 4; i++) { // anything else committed by a few more checkpoints shows up here
                poll(c, byPerson);
            }
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
        long latestEvent = java.time.OffsetDateTime.parse("2022-04-06T09:00:00+08:00")
                .toInstant()
                .toEpochMilli();
        assertThat(byPerson).as("statuses committed to the status topic").containsOnlyKeys("alice", "bob");
        assertThat(byPerson.values().stream().flatMap(List::stream))
                .allSatisfy(s -> assertThat(s.getEffectiveMs()).isLessThanOrEqualTo(latestEvent));
        assertThat(byPerson.get("alice")).singleElement().satisfies(s -> {
            assertThat(s.getColour()).isEqualTo("red");
            assertThat(s.getConditions(0).getReason()).isEqualTo("close_contact");
        });
        assertThat(byPerson.get("bob"))
                .singleElement()
                .satisfies(s -> assertThat(s.getColour()).isEqualTo("yellow"));
    }

    private static Event identity(String id, String time, String person, String phone) {
        return Event.newBuilder()
                .setFeed("police")
                .setType("identity")
                .setEventId(id)
                .setTime(time)
                .setRegion("440100")
                .setPersonId(person)
                .setMsisdn(phone)
                .setIdentity(Identity.newBuilder().setAreaCode("440106"))
                .build();
    }

    private static Event ping(String phone, java.time.OffsetDateTime t, double lat, double lon) {
        return Event.newBuilder()
                .setFeed("carrier")
                .setType("ping")
                .setEventId("ping:" + phone + "@" + t)
                .setTime(t.toString())
                .setRegion("440100")
                .setMsisdn(phone)
                .setPing(Ping.newBuilder().setLat(lat).setLon(lon))
                .build();
    }

    /**
     * Carrier data often comes late, up to a day. Here the other feeds have moved on to the evening of a
     * case's positive test before the carrier sends a day and a half of pings: the case's phone in one cell since the
     * day before, another person's phone beside it for half an hour that morning. The carrier topic keeps its own
     * event time, so the pings are on time for contact detection and the other person turns yellow as a companion;
     * nothing is rejected. (With one watermark for every feed they were rejected as late, and nobody was found.)
     */
    /**
     * The carrier feed a day late, then either moving on past the stays' gap ({@code stopsWithStaysOpen} false) or
     * stopping while the case's phone and the companion's are still in the cell: the replay closes open stays at the
     * end of its input, the live job reports them while open, so the companion is yellow either way.
     */
    @ParameterizedTest(name = "carrier feed stops with the stays open: {0}")
    @ValueSource(booleans = {false, true})
    void aLateCarrierFeedStillFindsTheCompanionsOfACase(boolean stopsWithStaysOpen) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String prefix = stopsWithStaysOpen ? STOPPED : LATE;
        JobClient job = startJob(
                "late carrier",
                prefix + "checkpoints",
                "--topic-prefix",
                prefix,
                "--group-id",
                prefix + "risk",
                "--transactional-id-prefix",
                prefix + "risk",
                "--idleness",
                "500ms",
                "--carrier-idleness",
                "500ms");
        awaitRunning(job);
        Map<String, List<StatusRecord>> byPerson = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> rejected = new ArrayList<>();
        String alicePhone = "+8613800000001";
        String bobPhone = "+8613800000002";
        try (FeedProducer feeds = new FeedProducer(new KafkaProducer<>(FeedProducer.properties(bootstrap)), prefix);
                KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            c.subscribe(List.of(prefix + "status"));
            feeds.accept(Feed.POLICE, identity("id-alice", "2022-04-03T00:00:00+08:00", "alice", alicePhone));
            feeds.accept(Feed.POLICE, identity("id-bob", "2022-04-03T00:00:00+08:00", "bob", bobPhone));
            feeds.accept(Feed.HEALTH, test("lab-late-1", "2022-04-04T12:00:00+08:00", "alice", "positive"));
            // the other feeds move on to that evening (the bindings stay within the 48 h allowed lateness)
            feeds.accept(Feed.HEALTH, test("lab-late-2", "2022-04-04T18:00:00+08:00", "zoe", "negative"));
            feeds.flush();
            readUntil(c, byPerson, job, "alice");
            assertThat(byPerson).as("the other feeds' time is past the case").containsKey("alice");
            Thread.sleep(3000); // and the carrier topic, quiet so far, is idle

            java.time.OffsetDateTime morning = java.time.OffsetDateTime.parse("2022-04-04T09:00:00+08:00");
            // the case's phone has been in the cell for over 30 h (since 02:00 the day before) (the default clause: >
            // 10 min together AND a phone > 30 h in the cell); bob's phone joins it for the last hour
            // in time order, as a carrier sends them: the feed is late as a whole, not out of order within itself
            // (pings more than the out-of-orderness apart in the wrong order would race the periodic watermark)
            for (int m = -31 * 60; m <= 60; m += 5) {
                if (m % 30 == 0 || m >= 0) {
                    feeds.accept(Feed.CARRIER, ping(alicePhone, morning.plusMinutes(m), 23.1300, 113.3200));
                }
                if (m >= 0) {
                    feeds.accept(Feed.CARRIER, ping(bobPhone, morning.plusMinutes(m), 23.1301, 113.3201));
                }
            }
            if (!stopsWithStaysOpen) {
                // a later ping of another phone moves the carrier's time past the stays' 30-minute gap
                feeds.accept(Feed.CARRIER, ping("+8613800000003", morning.plusHours(3), 23.2, 113.4));
            }
            feeds.flush();
            readUntil(c, byPerson, job, "bob");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            c.subscribe(List.of(prefix + "rejected"));
            for (int i = 0; i < 4; i++) {
                c.poll(Duration.ofMillis(500)).forEach(rejected::add);
            }
        }
        assertThat(rejected).as("rejected records").isEmpty();
        assertThat(byPerson.get("bob"))
                .as("bob's statuses")
                .isNotNull()
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.getColour()).isEqualTo("yellow");
                    assertThat(s.getConditions(0).getReason()).isEqualTo("companion");
                    // as in a replay: from when alice was found, not from when the carrier's data came
                    assertThat(s.getSinceMs())
                            .isEqualTo(java.time.OffsetDateTime.parse("2022-04-04T12:00:00+08:00")
                                    .toInstant()
                                    .toEpochMilli());
                });
    }

    /**
     * The live job (RiskJob's topology) on the test's MiniCluster, parallelism 2, checkpoints every 500 ms, no
     * restart (a failover fails the job, and so the test), out-of-orderness 1 s, plus {@code options}.
     */
    private static JobClient startJob(String name, String checkpoints, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--checkpoint-dir",
                work.resolve(checkpoints).toString(),
                "--work-dir",
                work.toString(),
                "--out-of-orderness",
                "1s",
                "--checkpoint-interval",
                "500ms"));
        args.addAll(List.of(options));
        RiskJobConfig cfg = RiskJobConfig.parse(args.toArray(String[]::new));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = RiskJobConfig.checkpointing(cfg.checkpointDir(), cfg.checkpointInterval());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(conf);
        env.setParallelism(2);
        RiskJob.define(
                env,
                cfg,
                RuleSet.defaults(),
                new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))));
        return env.executeAsync(name);
    }

    /** Waits until the job is running (or 60 s pass): readUntil stops at once while the job is still starting. */
    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Reads the status topic until {@code person} has a status, or the job stops running, or 60 s pass. */
    private static void readUntil(
            KafkaConsumer<byte[], byte[]> c, Map<String, List<StatusRecord>> byPerson, JobClient job, String person)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!byPerson.containsKey(person)
                && System.nanoTime() < deadline
                && job.getJobStatus().get() == JobStatus.RUNNING) {
            poll(c, byPerson);
        }
    }

    private static void poll(KafkaConsumer<byte[], byte[]> c, Map<String, List<StatusRecord>> byPerson)
            throws Exception {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            byPerson.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(StatusRecord.parseFrom(r.value()));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
