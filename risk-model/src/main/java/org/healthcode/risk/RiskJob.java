package org.healthcode.risk;

import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.risk.config.Args;
import org.healthcode.risk.config.RecoveryPath;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sinks.KafkaSinks;
import org.healthcode.risk.sources.CaughtUpOffsets;
import org.healthcode.risk.sources.FeedSources;
import org.healthcode.risk.sources.FeedWatermarks;
import org.healthcode.risk.sources.JobTopics;
import org.healthcode.risk.sources.NeverHoldsBackTime;

/**
 * The live risk job: feed topics (and the {@code rules} topic) -> {@link RiskWorkflow} -> {@code status},
 * {@code rejected} and {@code audit} topics, exactly once.
 * Run with {@code java -cp} it starts a local MiniCluster and runs until stopped; submitted to a Flink cluster
 * ({@code flink run}, the web submission) {@code main} returns once the job is submitted. Prints where the job
 * recovers from ({@code RECOVERY ...}) and {@code JOB RUNNING <jobId>} once submitted.
 */
public final class RiskJob {
    private RiskJob() {}

    /** The live topology on {@code env}: Kafka feed topics -> workflow -> transactional status and rejected sinks. */
    public static void define(StreamExecutionEnvironment env, RiskJobConfig cfg, RuleSet rules, EventDecoder decoder) {
        List<String> feedTopics = FeedSources.feedTopicsExcept(cfg.topicPrefix(), Feed.CARRIER);
        List<String> carrierTopic = List.of(cfg.topic(Feed.CARRIER.wireName()));
        DataStream<FeedRecord> feed = env.fromSource(
                        FeedSources.kafka(cfg.bootstrapServers(), cfg.kafka(), feedTopics, cfg.groupId(), decoder),
                        FeedWatermarks.live(
                                cfg.outOfOrderness(),
                                cfg.idleness(),
                                new CaughtUpOffsets.Source(
                                        cfg.bootstrapServers(), cfg.kafka(), cfg.groupId(), feedTopics)),
                        "feed topics")
                .uid("feed-source");
        // the carrier topic keeps its own event time (contact detection's clock): a carrier feed a day late is on
        // time there, instead of behind the other feeds' watermark
        DataStream<FeedRecord> carrier = env.fromSource(
                        FeedSources.kafka(cfg.bootstrapServers(), cfg.kafka(), carrierTopic, cfg.groupId(), decoder),
                        FeedWatermarks.live(
                                cfg.outOfOrderness(),
                                cfg.carrierIdleness(),
                                new CaughtUpOffsets.Source(
                                        cfg.bootstrapServers(), cfg.kafka(), cfg.groupId(), carrierTopic)),
                        "carrier topic")
                .uid("carrier-source");
        DataStream<RuleSetUpdate> ruleUpdates = env.fromSource(
                        FeedSources.rules(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("rules"), cfg.groupId()),
                        NeverHoldsBackTime.strategy(),
                        "rules topic")
                .uid("rules-source");
        org.healthcode.risk.crossregion.ExchangeSettings exchange;
        try {
            exchange = cfg.exchange();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read --region-directory", e);
        }
        RiskWorkflow.defineWithCarrierTime(
                feed,
                carrier,
                rules,
                ruleUpdates,
                rules.contacts(),
                cfg.phoneSide(),
                RiskSinks.withPublished(
                        sinks(cfg),
                        vehicles -> vehicles.sinkTo(KafkaSinks.published(
                                        cfg.bootstrapServers(),
                                        cfg.kafka(),
                                        cfg.topic("vehicle-cases"),
                                        "vehicle-cases",
                                        cfg.transactionalIdPrefix()))
                                .uid("vehicle-cases-sink")
                                .name("vehicle-cases topic"),
                        listings -> listings.sinkTo(KafkaSinks.published(
                                        cfg.bootstrapServers(),
                                        cfg.kafka(),
                                        cfg.topic("risk-areas"),
                                        "risk-areas",
                                        cfg.transactionalIdPrefix()))
                                .uid("risk-areas-sink")
                                .name("risk-areas topic")),
                exchange,
                requests -> requests.sinkTo(KafkaSinks.exchange(
                                cfg.bootstrapServers(),
                                cfg.kafka(),
                                cfg.topic("exchange-out"),
                                cfg.transactionalIdPrefix()))
                        .uid("exchange-sink")
                        .name("exchange-out topic"));
    }

    /** Statuses, rejections and the audit trail to their topics, exactly once. */
    private static RiskSinks sinks(RiskJobConfig cfg) {
        return (statuses, rejected, audit) -> {
            statuses.sinkTo(KafkaSinks.status(
                            cfg.bootstrapServers(), cfg.kafka(), cfg.topic("status"), cfg.transactionalIdPrefix()))
                    .uid("status-sink")
                    .name("status topic");
            rejected.sinkTo(KafkaSinks.rejected(
                            cfg.bootstrapServers(), cfg.kafka(), cfg.topic("rejected"), cfg.transactionalIdPrefix()))
                    .uid("rejected-sink")
                    .name("rejected topic");
            audit.sinkTo(KafkaSinks.audit(
                            cfg.bootstrapServers(), cfg.kafka(), cfg.topic("audit"), cfg.transactionalIdPrefix()))
                    .uid("audit-sink")
                    .name("audit topic");
        };
    }

    public static void main(String[] args) throws Exception {
        if (Args.helpRequested(args)) {
            System.out.print(RiskJobConfig.USAGE);
            return;
        }
        RiskJobConfig cfg;
        try {
            cfg = RiskJobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(RiskJobConfig.USAGE);
            System.exit(2);
            return;
        }
        RuleSet rules = cfg.ruleSet();
        EventDecoder decoder =
                Decoders.forRegion(cfg.secretFile(), cfg.workDir(), cfg.nationalKeyFile(), cfg.overrideKeyFile());
        JobTopics.prepare(
                cfg.bootstrapServers(), cfg.kafka(), cfg.topicPrefix(), JobTopics.engineTopics(cfg.region() != null));
        // what the job was submitted with (flink run -s, the cluster's configuration) decides where it recovers from
        RecoveryPath recovery = RecoveryPath.choose(
                StreamExecutionEnvironment.getExecutionEnvironment().getConfiguration(), cfg.checkpointDir());
        Configuration conf = cfg.flinkConfiguration();
        recovery.applyTo(conf);
        System.out.println("RECOVERY " + recovery.reason());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        define(env, cfg, rules, decoder);
        JobClient client = env.executeAsync("healthcode risk (rules " + rules.version() + ")");
        JobID id = client.getJobID();
        System.out.println("JOB RUNNING " + id);
        System.out.flush();
        if (env instanceof LocalStreamEnvironment) {
            // the job runs inside this JVM: returning would end it. Submitted to a cluster, main returns at once
            // (flink run -d, the web submission's run call) and the job runs on there.
            client.getJobExecutionResult().get();
        }
    }
}
