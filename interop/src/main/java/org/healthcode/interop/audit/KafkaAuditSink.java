package org.healthcode.interop.audit;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every audit record as one JSON line to the {@code audit} topic (key = subject, so one person's records
 * stay in order), without blocking the request thread: the producer buffers and sends in the background, with
 * {@code acks=all} and idempotence. A record the broker never takes is logged as an error (no silent loss), and
 * every record is also handed to {@code next}.
 *
 * <p>The JSON line is streamed by Jackson without a tree ({@link AuditRecord#toJsonLine()}): this runs for every lookup.
 */
public final class KafkaAuditSink implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditSink.class);

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final AuditSink next;

    public KafkaAuditSink(String bootstrapServers, String topic, AuditSink next) {
        this.topic = topic;
        this.next = next;
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    @Override
    public void lookup(LookupAudit audit) {
        // every record arrives through record(); lookups are not handled separately
    }

    @Override
    public void record(AuditRecord audit) {
        next.record(audit);
        try {
            producer.send(new ProducerRecord<>(topic, audit.subject(), audit.toJsonLine()), (md, e) -> {
                if (e != null) {
                    LOG.error("audit record not written to {}: {} ({})", topic, audit.toJson(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.error("audit record not written to {}: {} ({})", topic, audit.toJson(), e.toString());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
