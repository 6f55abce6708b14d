package org.healthcode.risk;

import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.ingest.events.Feed;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.sources.NeverHoldsBackTime;
import org.healthcode.risk.sources.RulesTopic;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.sinks.KafkaSinks;
import org.healthcode.risk.sources.FeedSources;
import org.healthcode.risk.sources.FeedWatermarks;

/**
 * The live risk job: feed topics (and the {@code rules} topic) -> {@link RiskWorkflow} -> {@code status},
 * {@code rejected} and {@code audit} topics, exactly once.
 * Run with {@code java -cp} it starts a local MiniCluster; submitted to a Flink cluster it runs there. Prints
 * {@code JOB RUNNING <jobId>} once submitted.
 */
public final class RiskJob {
    private RiskJob() {}

    /** The live topology on {@code env}: Kafka feed topics -> workflow -> transactional status and rejected sinks. */
    public static void define(StreamExecutionEnvironment env, RiskJobConfig cfg, RuleSet rules, EventDecoder decoder) {
        DataStream<FeedRecord> feed = env.fromSource(
                        FeedSources.kafka(cfg.bootstrapServers(), cfg.kafka(),
                                FeedSources.feedTopicsExcept(cfg.topicPrefix(), Feed.CARRIER), cfg.groupId(), decoder),
                        FeedWatermarks.live(cfg.outOfOrderness(), cfg.idleness()), "feed topics")
                .uid("feed-source");
        // the carrier topic keeps its own event time (contact detection's clock): a carrier feed a day late is on
        // time there, instead of behind the other feeds' watermark
        DataStream<FeedRecord> carrier = env.fromSource(
                        FeedSources.kafka(cfg.bootstrapServers(), cfg.kafka(),
                                List.of(cfg.topic(Feed.CARRIER.wireName())), cfg.groupId(), decoder),
                        FeedWatermarks.live(cfg.outOfOrderness(), cfg.carrierIdleness()), "carrier topic")
                .uid("carrier-source");
        DataStream<RuleSetUpdate> ruleUpdates = env.fromSource(
                        FeedSources.rules(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("rules"), cfg.groupId()),
                        NeverHoldsBackTime.strategy(), "rules topic")
                .uid("rules-source");
        org.healthcode.risk.crossregion.ExchangeSettings exchange;
        try {
            exchange = cfg.exchange();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read --region-directory", e);
        }
        RiskWorkflow.defineWithCarrierTime(feed, carrier, rules, ruleUpdates, rules.contacts(), cfg.phoneSide(),
                (statuses, rejected, audit) -> {
            statuses.sinkTo(KafkaSinks.status(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("status"),
                            cfg.transactionalIdPrefix()))
                    .uid("status-sink").name("status topic");
            rejected.sinkTo(KafkaSinks.rejected(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("rejected"),
                            cfg.transactionalIdPrefix()))
                    .uid("rejected-sink").name("rejected topic");
            audit.sinkTo(KafkaSinks.audit(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("audit"),
                            cfg.transactionalIdPrefix()))
                    .uid("audit-sink").name("audit topic");
        }, exchange, requests -> requests
                .sinkTo(KafkaSinks.exchange(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("exchange-out"),
                        cfg.transactionalIdPrefix()))
                .uid("exchange-sink").name("exchange-out topic"));
    }

    public static void main(String[] args) throws Exception {
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
        EventDecoder decoder = Decoders.forRegion(cfg.secretFile(), cfg.workDir(), cfg.nationalKeyFile(),
                cfg.overrideKeyFile());
        RulesTopic.ensure(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("rules"));
        // a feed topic only the serving side writes
        RulesTopic.ensure(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("interop"));
        if (cfg.region() != null) {
            RulesTopic.ensure(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("exchange-out"));
        }
        RulesTopic.ensure(cfg.bootstrapServers(), cfg.kafka(), cfg.topic("audit"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(cfg.flinkConfiguration());
        define(env, cfg, rules, decoder);
        JobClient client = env.executeAsync("healthcode risk (rules " + rules.version() + ")");
        JobID id = client.getJobID();
        System.out.println("JOB RUNNING " + id);
        System.out.flush();
        client.getJobExecutionResult().get();
    }
}
