package org.healthcode.interop.corrections;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.http.JsonResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The correction requests of a region, held on the compacted {@code corrections} topic (key: the request's id, value:
 * its whole current record as JSON) and followed into memory by every serving replica. A write returns once the
 * broker acknowledged it; the writer's own copy is updated at once, the other replicas' when they read it (within a
 * poll, about a second). At start the store reads the topic to its end before it answers, so a restarted process and
 * a new replica know every request. The highest {@link Correction#version} of an id wins ({@link #NEWER}), whatever
 * order copies arrive in. Requests are few (a person files at most a handful a day), so memory holds them all.
 */
public final class CorrectionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CorrectionStore.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<String, Correction> byId = new ConcurrentHashMap<>();
    private final Thread follower;
    private volatile boolean running = true;

    /**
     * Reads {@code topic} to its end, then follows it. {@code producer} writes the records (and is closed by its
     * owner).
     */
    public CorrectionStore(
            String bootstrapServers, KafkaClientSettings kafka, String topic, KafkaProducer<byte[], byte[]> producer) {
        this.producer = producer;
        this.topic = topic;
        Properties p = kafka.properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "healthcode-serving-" + topic);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, CATCH_UP).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchUp(partitions);
        LOG.info("{} correction requests read from {}", byId.size(), topic);
        this.follower = new Thread(this::follow, "corrections-follower");
        follower.setDaemon(true);
        follower.start();
    }

    private void catchUp(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CATCH_UP);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + topic + " topic could not be read to its end in " + CATCH_UP);
            }
            consumer.poll(Duration.ofMillis(200)).forEach(this::apply);
        }
    }

    private void follow() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("following {} stopped", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            keep(Correction.fromJson(JsonResponses.MAPPER.readTree(r.value())));
        } catch (Exception e) {
            LOG.warn(
                    "{} record at {}:{} is not a correction request: {}",
                    topic,
                    r.partition(),
                    r.offset(),
                    e.toString());
        }
    }

    private void keep(Correction c) {
        byId.merge(c.id(), c, (old, now) -> NEWER.compare(now, old) > 0 ? now : old);
    }

    /**
     * Which of two copies of a request is current: the higher version; between two replicas' writes of one version,
     * the later change, then the larger JSON, so that every replica keeps the same one.
     */
    static final Comparator<Correction> NEWER = Comparator.comparingLong(Correction::version)
            .thenComparing(Correction::updatedAt)
            .thenComparing(c -> c.toJson().toString());

    /**
     * Writes {@code c} and waits for the broker's acknowledgement; the store holds it from then on.
     *
     * @throws IllegalStateException when the broker did not acknowledge it in 10 s
     */
    public void put(Correction c) {
        byte[] value = c.toJson().toString().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, c.id().getBytes(StandardCharsets.UTF_8), value))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("correction request " + c.id() + " not written: " + e, e);
        }
        keep(c);
    }

    public Optional<Correction> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** A person's requests, newest first. */
    public List<Correction> ofPerson(String personId) {
        return byId.values().stream()
                .filter(c -> c.personId().equals(personId))
                .sorted(Comparator.comparing(Correction::filedAt).reversed())
                .toList();
    }

    /** Every request, oldest first (the queue's order). */
    public List<Correction> all() {
        return byId.values().stream()
                .sorted(Comparator.comparing(Correction::filedAt).thenComparing(Correction::id))
                .toList();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            follower.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
