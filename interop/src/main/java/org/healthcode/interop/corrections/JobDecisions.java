package org.healthcode.interop.corrections;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.contracts.audit.OverrideOutcome;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the risk job's decisions on proposed corrections back from the {@code audit} topic into the requests
 * ({@link CorrectionsService#applyJobDecision}). It reads only while some request waits for a decision, from the
 * time the oldest of them was filed (every decision on it is stamped later: the job's audit record carries the
 * override event's time, and the request was filed before it was proposed), so a process that starts, or a request
 * that waits, does not make it read the topic's whole history. Committed records only: the job writes exactly once.
 */
final class JobDecisions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobDecisions.class);
    private static final Duration IDLE = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final CorrectionsService service;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;

    JobDecisions(String bootstrapServers, KafkaClientSettings kafka, String auditTopic, CorrectionsService service) {
        this.service = service;
        this.topic = auditTopic;
        Properties p = kafka.properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "healthcode-serving-correction-decisions");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "correction-decisions");
        thread.setDaemon(true);
    }

    JobDecisions start() {
        thread.start();
        return this;
    }

    private void run() {
        Instant readingFrom = null;
        try {
            while (running) {
                try {
                    Optional<Instant> oldest = service.oldestUndecidedOverride();
                    if (oldest.isEmpty()) {
                        readingFrom = null;
                        Thread.sleep(IDLE.toMillis());
                        continue;
                    }
                    if (readingFrom == null || oldest.get().isBefore(readingFrom)) {
                        seek(oldest.get());
                        readingFrom = oldest.get();
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(IDLE)) {
                        apply(r);
                    }
                } catch (WakeupException | InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.warn("reading the job's override decisions from {} failed ({}); retrying", topic, e.toString());
                    readingFrom = null;
                    Thread.sleep(5_000);
                }
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Every partition, from the first record stamped at or after {@code from} (the end when there is none). */
    private void seek(Instant from) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, REQUEST_TIMEOUT).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(tp -> at.put(tp, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at, REQUEST_TIMEOUT);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = offsets.get(tp);
            if (o == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, o.offset());
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        Optional<OverrideOutcome> o;
        try {
            o = OverrideOutcome.read(r.value());
        } catch (java.io.IOException e) {
            return; // not an audit record; the audit log reports it
        }
        if (o.isEmpty()) {
            return;
        }
        try {
            service.applyJobDecision(o.get())
                    .ifPresent(c -> LOG.info(
                            "correction {} {} after the job's {} {} of {}",
                            c.id(),
                            c.state() == Correction.State.CORRECTED ? "corrected" : "refused",
                            o.get().action(),
                            o.get().result(),
                            o.get().requestId()));
        } catch (CorrectionRefused e) {
            // the store could not write it: read the decision again
            throw new IllegalStateException("correction not updated: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
