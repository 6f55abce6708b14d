package org.healthcode.risk.testing;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.healthcode.ingest.events.Feed;
import org.healthcode.risk.RiskSinks;
import org.healthcode.risk.RiskWorkflow;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.contacts.PhoneSideSettings;
import org.healthcode.risk.crossregion.ExchangeSettings;
import org.healthcode.risk.crossregion.ExchangeSink;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.rules.RuleSet;

/**
 * The live job's topology ({@link RiskWorkflow#defineWithCarrierTime}, what {@code RiskJob} runs) over bounded test
 * records, for MiniCluster tests, with the job's serializer of feed records: the carrier feed's records (pings, city
 * stays) on an event time of their own, as the carrier topic is, every other record (rejections included) on the
 * feeds' time; each input in the given order, with {@code watermarks}; the phone side with its defaults.
 */
public final class LiveWorkflow {
    private LiveWorkflow() {}

    public static void define(
            StreamExecutionEnvironment env,
            List<FeedRecord> records,
            WatermarkStrategy<FeedRecord> watermarks,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            RiskSinks sinks) {
        define(env, records, watermarks, rules, ruleUpdates, contactRules, sinks, null, null);
    }

    /** As above, with the exchange of risk persons (see {@link RiskWorkflow#defineWithCarrierTime}). */
    public static void define(
            StreamExecutionEnvironment env,
            List<FeedRecord> records,
            WatermarkStrategy<FeedRecord> watermarks,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            RiskSinks sinks,
            ExchangeSettings exchange,
            ExchangeSink exchangeSink) {
        DataStream<FeedRecord> all =
                env.fromData(records, FeedRecordSerializer.TYPE).setParallelism(1);
        DataStream<FeedRecord> feed = all.filter(new OfCarrier(false))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1);
        DataStream<FeedRecord> carrier = all.filter(new OfCarrier(true))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(watermarks)
                .setParallelism(1);
        RiskWorkflow.defineWithCarrierTime(
                feed,
                carrier,
                rules,
                ruleUpdates,
                contactRules,
                PhoneSideSettings.DEFAULTS,
                sinks,
                exchange,
                exchangeSink);
    }

    /** The carrier topic's records (decoded events of the carrier feed), or every other record. */
    private record OfCarrier(boolean carrier) implements FilterFunction<FeedRecord> {
        @Override
        public boolean filter(FeedRecord r) {
            return (r.isEvent() && r.event().type().feed() == Feed.CARRIER) == carrier;
        }
    }
}
