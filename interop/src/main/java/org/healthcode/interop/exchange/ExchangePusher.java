package org.healthcode.interop.exchange;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.healthcode.contracts.exchange.RiskPersonNotice;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.audit.AuditRecord;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.metrics.FollowerState;
import org.healthcode.interop.metrics.ServingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes risk persons to other regions until they acknowledge: notices wait on the {@code exchange-out} topic
 * (written by {@link #enqueue} for an operator's outbox request, or by the risk job's exchange trigger when one of
 * this region's red/yellow persons stays in another region), a consumer group reads them, each is POSTed to the target
 * region's {@code /v1/exchange/risk-persons} over mutual TLS, retried with backoff (1 s doubling to 60 s) until a
 * 2xx, and the group offset is committed only after that. A crash re-pushes what was not committed; the receiver's
 * idempotency key makes that harmless. A 4xx other than 429 will never succeed: it is logged, audited and skipped.
 */
public final class ExchangePusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangePusher.class);
    private static final Duration PROBE = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String topic;
    private final Map<String, URI> peers;
    private final HttpClient http;
    private final AuditSink audit;
    private final ServingMetrics metrics;
    private final java.time.Clock clock;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final FollowerState state;
    private volatile boolean stopping;

    public ExchangePusher(
            String bootstrapServers,
            String topic,
            String region,
            Map<String, URI> peers,
            HttpClient http,
            AuditSink audit,
            ServingMetrics metrics,
            java.time.Clock clock) {
        this(bootstrapServers, KafkaClientSettings.NONE, topic, region, peers, http, audit, metrics, clock);
    }

    /** As above, with the client settings of {@code --kafka-config}. */
    public ExchangePusher(
            String bootstrapServers,
            KafkaClientSettings kafka,
            String topic,
            String region,
            Map<String, URI> peers,
            HttpClient http,
            AuditSink audit,
            ServingMetrics metrics,
            java.time.Clock clock) {
        this.topic = topic;
        this.peers = Map.copyOf(peers);
        this.http = http;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.state = metrics.follower("exchange");
        Properties p = kafka.properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        Properties c = kafka.properties();
        c.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "healthcode-exchange-pusher-" + region);
        c.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        // the risk job writes its requests transactionally: an aborted attempt must never be pushed
        c.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.setProperty(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "3600000");
        // after a broker outage the pusher joins its group as a new member, and the group waits for the old member's
        // session to expire before it hands out the partition: 10 s instead of the default 45 s of not pushing
        c.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        c.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(c);
        this.thread = new Thread(this::run, "exchange-pusher");
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(topic));
        thread.start();
    }

    /** Queues a notice for pushing; returns once the broker has it. */
    public void enqueue(RiskPersonNotice n) throws java.io.IOException {
        try {
            producer.send(new ProducerRecord<>(topic, n.toRegion(), n.toJson().toString()))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new java.io.IOException("cannot queue the notice: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.IOException("interrupted", e);
        }
    }

    public boolean knowsPeer(String region) {
        return peers.containsKey(region);
    }

    /**
     * Reads and pushes until closed. A Kafka failure (a broker outage, a failed commit) is retried with backoff;
     * the consumer then subscribes again, so reading resumes from the last committed notice (a notice pushed but
     * not committed is pushed again, which the receiver's idempotency key makes harmless). While idle it asks the
     * broker for the topic list every {@link #PROBE}, so an outage shows in {@code /health} even without notices.
     */
    private void run() {
        FollowerState.Backoff backoff = new FollowerState.Backoff(MAX_BACKOFF);
        long nextProbe = 0;
        try {
            while (!stopping) {
                try {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, String> r : records) {
                        push(r.value());
                        if (stopping) {
                            return; // not committed: pushed again after a restart
                        }
                    }
                    if (!records.isEmpty()) {
                        consumer.commitSync(REQUEST_TIMEOUT);
                    } else if (System.currentTimeMillis() >= nextProbe) {
                        consumer.listTopics(REQUEST_TIMEOUT);
                        nextProbe = System.currentTimeMillis() + PROBE.toMillis();
                    } else {
                        continue;
                    }
                    if (state.ok()) {
                        LOG.info("exchange pusher reads {} again", topic);
                    }
                    backoff.reset();
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    if (stopping) {
                        return;
                    }
                    Duration wait = backoff.next();
                    if (state.failing(e.toString())) {
                        LOG.error("exchange pusher cannot read {} ({}); retrying", topic, e.toString());
                    }
                    consumer.unsubscribe();
                    consumer.subscribe(List.of(topic));
                    nextProbe = 0;
                    try {
                        Thread.sleep(wait.toMillis());
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            state.failing(e.toString());
            LOG.error("exchange pusher stopped", e);
        } finally {
            // close() interrupts this thread to end a push's wait; the consumer refuses to close while interrupted
            Thread.interrupted();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void push(String json) {
        RiskPersonNotice n;
        try {
            n = RiskPersonNotice.parse(json);
        } catch (IllegalArgumentException e) {
            LOG.error("skipping a malformed outbox record: {}", e.getMessage());
            return;
        }
        URI peer = peers.get(n.toRegion());
        if (peer == null) {
            LOG.error("no --peer for region {}: notice {} skipped", n.toRegion(), n.idempotencyKey());
            result(n, "no_peer");
            return;
        }
        long backoffMs = 1000;
        while (!stopping) {
            try {
                HttpResponse<String> resp = http.send(
                        HttpRequest.newBuilder(peer.resolve("/v1/exchange/risk-persons"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() / 100 == 2) {
                    result(n, "acknowledged");
                    return;
                }
                if (resp.statusCode() / 100 == 4 && resp.statusCode() != 429) {
                    LOG.error(
                            "region {} refused notice {}: HTTP {} {}",
                            n.toRegion(),
                            n.idempotencyKey(),
                            resp.statusCode(),
                            resp.body());
                    result(n, "refused_" + resp.statusCode());
                    return;
                }
                LOG.warn("region {} answered HTTP {}; retrying in {} ms", n.toRegion(), resp.statusCode(), backoffMs);
            } catch (java.io.IOException e) {
                LOG.warn("push to region {} failed ({}); retrying in {} ms", n.toRegion(), e.toString(), backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            metrics.recordInterop(AuditRecord.EXCHANGE_OUT, "retry");
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                return;
            }
            backoffMs = Math.min(60_000, backoffMs * 2);
        }
    }

    /**
     * Counts and audits a push's outcome. The push has happened: its record is retried until the audit takes it
     * (the outbox position is not committed meanwhile, so a restart pushes again, idempotently, and audits then).
     */
    private void result(RiskPersonNotice n, String result) {
        metrics.recordInterop(AuditRecord.EXCHANGE_OUT, result);
        AuditRecord record = new AuditRecord(
                clock.instant(),
                "exchange-pusher",
                null,
                null,
                AuditRecord.EXCHANGE_OUT,
                n.nationalId(),
                result,
                "to " + n.toRegion() + " key " + n.idempotencyKey());
        long backoffMs = 1000;
        while (!stopping) {
            try {
                audit.record(record);
                return;
            } catch (org.healthcode.interop.audit.AuditUnavailableException e) {
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(60_000, backoffMs * 2);
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
