package org.healthcode.analyst.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.analyst.FeedMain;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.risk.ReplayJob;
import org.healthcode.risk.config.ReplayConfig;
import org.healthcode.risk.sources.ArchiveFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive written into the feed topics of a real broker by {@code ./healthcode feed}, then replayed from those
 * topics: the same statuses, changelog and audit trail as the replay of the file; its bad lines went to the
 * rejected topic instead of a feed topic.
 */
class FeedToKafkaReplayTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    static Path dir;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir.resolve("kafka"), 0);
        // one partition per feed topic keeps each feed's line order, so the replays see the same arrival order per
        // feed: this test is about the way in and out of Kafka. With several partitions a case's diagnosis can
        // arrive before its earlier positive test, and contact conditions then start at the diagnosis
        List<NewTopic> topics = new ArrayList<>();
        for (Feed f : Feed.values()) {
            topics.add(Topics.plain(f.wireName(), 1));
        }
        topics.add(Topics.plain("rejected", 1));
        Topics.ensure(broker.bootstrapServers(), topics);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anArchiveWrittenIntoTheFeedTopicsReplaysFromKafkaToTheFilesOfItsFileReplay() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SyntheticCity(new CityConfig(300, 2, 11, CityConfig.DEFAULT_START, 0, 0.003))
                .run(new org.healthcode.ingest.sinks.JsonLinesSink(bytes, false));
        Path archive = dir.resolve("city.jsonl");
        Files.write(archive, bytes.toByteArray());

        FeedMain.Summary sent;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(FeedProducer.properties(broker.bootstrapServers()))) {
            sent = FeedMain.write(ArchiveFiles.scan(archive), producer, "");
        }
        StandardEventDecoder decoder = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32])));
        ReplayConfig fromFile = new ReplayConfig(archive, null, null, dir.resolve("file"), null, null, 2);
        ReplayJob.replay(StreamExecutionEnvironment.getExecutionEnvironment(), fromFile, decoder);
        ReplayConfig fromKafka = new ReplayConfig(
                null,
                null,
                null,
                dir.resolve("kafka-replay"),
                null,
                null,
                2,
                ReplayConfig.Mode.FAST,
                new ReplayConfig.KafkaArchive(broker.bootstrapServers(), "", "earliest", "latest"),
                false);
        ReplayJob.replay(StreamExecutionEnvironment.getExecutionEnvironment(), fromKafka, decoder);

        assertThat(Files.readAllLines(dir.resolve("file/changelog.jsonl"))).hasSizeGreaterThan(10);
        for (String f : List.of("changelog.jsonl", "statuses.jsonl", "audit.jsonl")) {
            assertThat(Files.readAllLines(dir.resolve("kafka-replay").resolve(f)))
                    .as(f)
                    .containsExactlyElementsOf(
                            Files.readAllLines(dir.resolve("file").resolve(f)));
        }
        long fileRejected =
                Files.readAllLines(dir.resolve("file/rejected.jsonl")).size();
        assertThat(sent.rejected()).isPositive().isEqualTo(fileRejected);
        assertThat(Files.readAllLines(dir.resolve("kafka-replay/rejected.jsonl")))
                .isEmpty();
        List<ConsumerRecord<byte[], byte[]>> rejected = readAll("rejected");
        assertThat(rejected).hasSize((int) fileRejected);
        assertThat(rejected)
                .allSatisfy(r -> assertThat(r.headers().lastHeader("reason")).isNotNull());
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "feed-test");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
                var batch = c.poll(Duration.ofMillis(500));
                batch.forEach(out::add);
                if (!batch.isEmpty()) {
                    quietSince = System.nanoTime();
                }
            }
        }
        return out;
    }
}
