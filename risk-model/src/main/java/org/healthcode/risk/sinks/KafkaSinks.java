package org.healthcode.risk.sinks;

import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.PublishedRecord;
import org.healthcode.risk.events.StatusChange;

/**
 * The job's transactional Kafka sinks: statuses, rejections and the override audit trail are written exactly once, visible to
 * read_committed readers when a checkpoint completes. Each sink has its own transactional-id prefix.
 */
public final class KafkaSinks {
    /**
     * A transaction lives from one completed checkpoint to the next, so this must outlast the longest checkpoint
     * under backpressure, or the broker aborts the transaction and the job fails with {@code
     * InvalidProducerEpochException}. With 60 s, a day's backlog at 1 M persons did that when one checkpoint took
     * more than a minute. 15 min is the broker's default {@code transaction.max.timeout.ms}, which it must not
     * exceed. The cost: if the job dies and does not come back, read_committed readers wait for the broker to abort
     * its open transactions, up to this long (a restarted job aborts them at once).
     */
    public static final String TRANSACTION_TIMEOUT_MS = "900000";

    private KafkaSinks() {}

    public static KafkaSink<StatusChange> status(String bootstrap, String topic, String transactionalIdPrefix) {
        return status(bootstrap, KafkaClientSettings.NONE, topic, transactionalIdPrefix);
    }

    public static KafkaSink<StatusChange> status(
            String bootstrap, KafkaClientSettings client, String topic, String transactionalIdPrefix) {
        return KafkaSink.<StatusChange>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new StatusSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-status")
                .setKafkaProducerConfig(client.with(producerConfig()))
                .build();
    }

    public static KafkaSink<Rejected> rejected(String bootstrap, String topic, String transactionalIdPrefix) {
        return rejected(bootstrap, KafkaClientSettings.NONE, topic, transactionalIdPrefix);
    }

    public static KafkaSink<Rejected> rejected(
            String bootstrap, KafkaClientSettings client, String topic, String transactionalIdPrefix) {
        return KafkaSink.<Rejected>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new RejectedSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-rejected")
                .setKafkaProducerConfig(client.with(producerConfig()))
                .build();
    }

    public static KafkaSink<AuditRecord> audit(String bootstrap, String topic, String transactionalIdPrefix) {
        return audit(bootstrap, KafkaClientSettings.NONE, topic, transactionalIdPrefix);
    }

    public static KafkaSink<AuditRecord> audit(
            String bootstrap, KafkaClientSettings client, String topic, String transactionalIdPrefix) {
        return KafkaSink.<AuditRecord>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new AuditSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-audit")
                .setKafkaProducerConfig(client.with(producerConfig()))
                .build();
    }

    /** Requests to push risk persons to other regions: key = target region, value = the notice JSON. */
    public static KafkaSink<org.healthcode.risk.crossregion.ExchangeRequest> exchange(
            String bootstrap, String topic, String transactionalIdPrefix) {
        return exchange(bootstrap, KafkaClientSettings.NONE, topic, transactionalIdPrefix);
    }

    public static KafkaSink<org.healthcode.risk.crossregion.ExchangeRequest> exchange(
            String bootstrap, KafkaClientSettings client, String topic, String transactionalIdPrefix) {
        return KafkaSink.<org.healthcode.risk.crossregion.ExchangeRequest>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new ExchangeRequestSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-exchange")
                .setKafkaProducerConfig(client.with(producerConfig()))
                .build();
    }

    /**
     * Published records (the vehicles' case records, the risk-area listings) to their compacted {@code topic},
     * exactly once; {@code name} tells the transactional ids apart.
     */
    public static KafkaSink<PublishedRecord> published(
            String bootstrap, KafkaClientSettings client, String topic, String name, String transactionalIdPrefix) {
        return KafkaSink.<PublishedRecord>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new PublishedRecordSerializer(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-" + name)
                .setKafkaProducerConfig(client.with(producerConfig()))
                .build();
    }

    /** The producer settings of every sink of the job (and of the benchmark's pass-through reference). */
    public static Properties producerConfig() {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        p.setProperty("compression.type", "lz4");
        p.setProperty("linger.ms", "5");
        return p;
    }
}
