package org.healthcode.risk;

import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.functions.DuplicateAndLateFilter;
import org.healthcode.risk.functions.FeedRecordSplitter;
import org.healthcode.risk.functions.HasPerson;
import org.healthcode.risk.functions.PersonRiskFunction;
import org.healthcode.risk.functions.SideOutputs;
import org.healthcode.risk.rules.RuleSet;

/**
 * The risk job's topology, wiring only: decoded feed records (with event-time timestamps and watermarks already
 * assigned) -> split off rejections -> drop duplicates, reject late events -> per-person risk -> sinks.
 * {@link RiskJob} passes Kafka, {@link ReplayJob} a file, tests bounded sources and collecting sinks.
 */
public final class RiskWorkflow {
    /** How long a seen eventId is remembered (processing time) to drop duplicates. */
    public static final Duration DEDUPE_HORIZON = Duration.ofDays(7);

    private RiskWorkflow() {}

    public static void define(DataStream<FeedRecord> feed, RuleSet rules, RiskSinks sinks) {
        SingleOutputStreamOperator<FeedRecord> decoded = feed
                .process(new FeedRecordSplitter(SideOutputs.REJECTED))
                .uid("split-rejected").name("split rejected");

        SingleOutputStreamOperator<Event> unique = decoded
                .keyBy(r -> r.event().eventId())
                .process(new DuplicateAndLateFilter(SideOutputs.REJECTED, rules.allowedLatenessMillis(), DEDUPE_HORIZON))
                .uid("dedupe-late").name("drop duplicates, reject late");

        SingleOutputStreamOperator<StatusChange> statuses = unique
                .filter(new HasPerson()).uid("person-events").name("person events")
                .keyBy(Event::personId)
                .process(new PersonRiskFunction(rules))
                .uid("person-risk").name("person risk");

        DataStream<Rejected> rejected = decoded.getSideOutput(SideOutputs.REJECTED)
                .union(unique.getSideOutput(SideOutputs.REJECTED));

        sinks.attach(statuses, rejected);
    }
}
