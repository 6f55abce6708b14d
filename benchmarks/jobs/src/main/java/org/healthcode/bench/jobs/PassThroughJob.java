package org.healthcode.bench.jobs;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.risk.Decoders;
import org.healthcode.risk.config.Args;
import org.healthcode.risk.config.RecoveryPath;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.sinks.KafkaSinks;
import org.healthcode.risk.sources.FeedSources;

/**
 * The pipeline benchmark's same-run reference: reads the risk job's feed topics with the same source and decoder
 * (validation, pseudonyms), and writes one record per feed record to the {@value #TOPIC} topic exactly once, with no
 * keyed state, no event time and no shuffle. What is left is the cost of Kafka at both ends, decoding and
 * checkpoints, the floor under any job on these topics; the risk job's rate is reported as a ratio of this one's.
 *
 * <p>Takes {@link RiskJobConfig}'s options (those that concern it: Kafka, checkpoints, parallelism, state backend,
 * group and transactional ids, the region secret); prints {@code JOB RUNNING <jobId>} like the risk job.
 */
public final class PassThroughJob {
    /** The topic it writes; the benchmark creates it. */
    public static final String TOPIC = "pass-through";

    private PassThroughJob() {}

    /** Feed topics -> decode -> one record each, exactly once. */
    public static void define(StreamExecutionEnvironment env, RiskJobConfig cfg, EventDecoder decoder) {
        List<String> feedTopics = FeedSources.feedTopicsExcept(cfg.topicPrefix(), Feed.CARRIER);
        List<String> carrierTopic = List.of(cfg.topic(Feed.CARRIER.wireName()));
        // the same two sources as the risk job (the carrier topic has its own there), so both read alike
        DataStream<FeedRecord> feed = env.fromSource(
                        FeedSources.kafka(cfg.bootstrapServers(), cfg.kafka(), feedTopics, cfg.groupId(), decoder),
                        WatermarkStrategy.noWatermarks(),
                        "feed topics")
                .uid("feed-source");
        DataStream<FeedRecord> carrier = env.fromSource(
                        FeedSources.kafka(cfg.bootstrapServers(), cfg.kafka(), carrierTopic, cfg.groupId(), decoder),
                        WatermarkStrategy.noWatermarks(),
                        "carrier topic")
                .uid("carrier-source");
        KafkaSink<FeedRecord> sink = KafkaSink.<FeedRecord>builder()
                .setBootstrapServers(cfg.bootstrapServers())
                .setRecordSerializer(new OneRecordPerEvent(cfg.topic(TOPIC)))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(cfg.transactionalIdPrefix() + "-pass-through")
                .setKafkaProducerConfig(cfg.kafka().with(KafkaSinks.producerConfig()))
                .build();
        feed.union(carrier).sinkTo(sink).uid("pass-through-sink").name("pass-through topic");
    }

    /**
     * A feed record as one Kafka record: key = the person's (or phone's) pseudonym, value = event id, type and
     * time; a rejected record, its source and category.
     */
    static final class OneRecordPerEvent implements KafkaRecordSerializationSchema<FeedRecord> {
        private final String topic;

        OneRecordPerEvent(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {}

        @Override
        public ProducerRecord<byte[], byte[]> serialize(FeedRecord r, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, key(r), value(r));
        }

        static byte[] key(FeedRecord r) {
            if (!r.isEvent()) {
                return null;
            }
            String k = r.event().personId() != null
                    ? r.event().personId()
                    : r.event().msisdn();
            return k == null ? null : k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        static byte[] value(FeedRecord r) {
            String v = r.isEvent()
                    ? r.event().eventId() + " " + r.event().type().wireName() + " "
                            + r.event().time()
                    : r.rejected().source() + " " + r.rejected().category();
            return v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static void main(String[] args) throws Exception {
        if (Args.helpRequested(args)) {
            System.out.print(RiskJobConfig.USAGE.replace("RiskJob", "PassThroughJob"));
            return;
        }
        RiskJobConfig cfg;
        try {
            cfg = RiskJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        EventDecoder decoder =
                Decoders.forRegion(cfg.secretFile(), cfg.workDir(), cfg.nationalKeyFile(), cfg.overrideKeyFile());
        RecoveryPath recovery = RecoveryPath.choose(
                StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration(), cfg.checkpointDir());
        Configuration conf = cfg.flinkConfiguration();
        recovery.applyTo(conf);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        define(env, cfg, decoder);
        JobClient client = env.executeAsync("healthcode pass-through reference");
        System.out.println("JOB RUNNING " + client.getJobID());
        System.out.flush();
        if (env instanceof LocalStreamEnvironment) {
            client.getJobExecutionResult().get();
        }
    }
}
