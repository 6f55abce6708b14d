package org.healthcode.risk.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.risk.events.FeedRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a partition's watermarks may stop holding back event time, against a real broker: a generator that has had no
 * record yet goes idle only when no partition it might be reading has a backlog.
 */
class IdleWhenCaughtUpTest {
    @TempDir
    static Path work;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(work.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /**
     * A task restarted after a failure in the same JVM (a TaskManager that survived another's death): the earlier
     * attempt's generator had read partition 0, the restored one starts again from the checkpoint's offsets, behind
     * its end. Its new generator has had no record yet when the idleness timeout passes. Partition 1 is read to the
     * end. Taking partition 0 for another generator's (it was seen a moment ago) let the new generator go idle with
     * partition 0's backlog unread: the other partitions carried event time past it, and it arrived late.
     */
    @Test
    void aRestoredGeneratorDoesNotTakeItsOwnBacklogForAnotherGeneratorsPartition() throws Exception {
        String topic = "restored-feed";
        String group = "restored-group";
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.plain(topic, 2)));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()))) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, null, bytes("r" + i)))
                            .get();
                }
            }
        }
        // the group's position (what a checkpoint committed): partition 0 at its start, partition 1 at its end
        try (Admin admin = Admin.create(broker.adminProperties())) {
            admin.alterConsumerGroupOffsets(
                            group,
                            Map.of(
                                    new TopicPartition(topic, 0), new OffsetAndMetadata(0),
                                    new TopicPartition(topic, 1), new OffsetAndMetadata(3)))
                    .all()
                    .get();
        }
        CaughtUpOffsets.Source source =
                new CaughtUpOffsets.Source(broker.bootstrapServers(), KafkaClientSettings.NONE, group, List.of(topic));
        CaughtUpOffsets offsets = CaughtUpOffsets.of(source);

        // the earlier attempt read partition 0's first record, then its task failed
        ManualClock earlierClock = new ManualClock();
        IdleWhenCaughtUp earlier =
                new IdleWhenCaughtUp(Duration.ofMillis(1), Duration.ofMillis(100), offsets, earlierClock);
        earlier.onEvent(new FeedRecord(null, null, topic, 0, 0, -1, bytes("r0")), 1L, new Outputs());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!offsets.caughtUp(new TopicPartition(topic, 1), 2)) {
            assertThat(System.nanoTime()).as("offsets fetched").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(5); // the restored generator is made strictly later than the earlier attempt's last record

        // the restored task's generator, for partition 0: quiet past the timeout before its first record
        ManualClock clock = new ManualClock();
        IdleWhenCaughtUp restored = new IdleWhenCaughtUp(Duration.ofMillis(1), Duration.ofMillis(100), offsets, clock);
        Outputs out = new Outputs();
        for (int i = 0; i < 10; i++) {
            restored.onPeriodicEmit(out);
            clock.now += 50;
        }
        assertThat(out.everIdle)
                .as("partition 0 has a backlog: it may be this generator's")
                .isFalse();

        // a generator that has read partition 0 to its end, with partition 1 read to its end too, goes idle
        IdleWhenCaughtUp caughtUp = new IdleWhenCaughtUp(Duration.ofMillis(1), Duration.ofMillis(100), offsets, clock);
        Outputs caughtUpOut = new Outputs();
        for (int offset = 0; offset < 3; offset++) {
            caughtUp.onEvent(new FeedRecord(null, null, topic, 0, offset, -1, bytes("r")), 1L, caughtUpOut);
        }
        for (int i = 0; i < 10; i++) {
            caughtUp.onPeriodicEmit(caughtUpOut);
            clock.now += 50;
        }
        assertThat(caughtUpOut.idle).as("read to the end and quiet").isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class ManualClock implements RelativeClock {
        long now;

        @Override
        public long relativeTimeMillis() {
            return now;
        }

        @Override
        public long relativeTimeNanos() {
            return now * 1_000_000;
        }
    }

    private static final class Outputs implements WatermarkOutput {
        boolean idle;
        boolean everIdle;

        @Override
        public void emitWatermark(Watermark watermark) {
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
            everIdle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
