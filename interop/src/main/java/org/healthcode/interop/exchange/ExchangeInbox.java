package org.healthcode.interop.exchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.healthcode.contracts.exchange.RiskPersonNotice;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/**
 * Receives risk persons pushed by other regions: each new notice becomes one Protobuf feed event (type
 * {@code risk_person}) on this region's {@code interop} topic (key = national pseudonym), which the risk job reads
 * like every feed topic; written and acknowledged by the broker before the push is
 * acknowledged; a notice whose idempotency key was seen before is acknowledged without writing again.
 *
 * <p>Seen keys are appended to {@code seen-keys} in the data directory after the write. A crash between the two
 * writes the event once more on redelivery, with the same {@code eventId}, which ingest drops as a duplicate.
 */
public final class ExchangeInbox implements AutoCloseable {
    /** What became of a notice. */
    public enum Result {
        ACCEPTED,
        DUPLICATE
    }

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Path seenFile;
    private final Set<String> seen = new HashSet<>();
    private final Clock clock;

    public ExchangeInbox(String bootstrapServers, String topic, Path dir, Clock clock) throws IOException {
        this(bootstrapServers, KafkaClientSettings.NONE, topic, dir, clock);
    }

    /** As above, with the client settings of {@code --kafka-config}. */
    public ExchangeInbox(String bootstrapServers, KafkaClientSettings kafka, String topic, Path dir, Clock clock)
            throws IOException {
        this.topic = topic;
        this.clock = clock;
        Files.createDirectories(dir);
        this.seenFile = dir.resolve("seen-keys");
        if (Files.exists(seenFile)) {
            seen.addAll(Files.readAllLines(seenFile, StandardCharsets.UTF_8));
        }
        Properties p = kafka.properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    /** Writes the notice's event unless already seen; returns once the broker has it. */
    public synchronized Result accept(RiskPersonNotice n) throws IOException {
        if (seen.contains(n.idempotencyKey())) {
            return Result.DUPLICATE;
        }
        try {
            producer.send(new ProducerRecord<>(
                            topic, n.nationalId(), n.toEvent(clock.instant()).toByteArray()))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("writing to " + topic + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Files.writeString(
                seenFile,
                n.idempotencyKey() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        seen.add(n.idempotencyKey());
        return Result.ACCEPTED;
    }

    @Override
    public void close() {
        producer.close();
    }
}
