package org.healthcode.risk;

import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.contacts.ContactDetection;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.functions.RuleBroadcast;
import org.healthcode.risk.functions.IsType;
import org.healthcode.risk.functions.RiskAreaMatcher;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.functions.DuplicateAndLateFilter;
import org.healthcode.risk.functions.FeedRecordSplitter;
import org.healthcode.risk.functions.HasPerson;
import org.healthcode.risk.functions.PersonRiskFunction;
import org.healthcode.risk.functions.ToPersonInput;
import org.healthcode.risk.functions.SideOutputs;
import org.healthcode.risk.rules.RuleSet;

/**
 * The risk job's topology, wiring only: decoded feed records (with event-time timestamps and watermarks already
 * assigned) -> split off rejections -> drop duplicates, reject late events -> contact detection (exposures) and
 * stays in listed risk areas -> per-person risk over the person's events, exposures and area stays -> sinks.
 * {@link RiskJob} passes Kafka, {@link ReplayJob} a file, tests bounded sources and collecting sinks.
 */
public final class RiskWorkflow {
    /** How long a seen eventId is remembered (processing time) to drop duplicates. */
    public static final Duration DEDUPE_HORIZON = Duration.ofDays(7);

    private RiskWorkflow() {}

    /**
     * @param feed decoded feed records with timestamps and watermarks
     * @param rules the rule set in force at start
     * @param ruleUpdates later rule sets (the {@code rules} topic); its watermarks must never hold back time
     * @param contactRules parameters of contact detection
     * @param sinks where statuses and rejections go
     */
    public static void define(DataStream<FeedRecord> feed, RuleSet rules, DataStream<RuleSetUpdate> ruleUpdates,
                              ContactRules contactRules, RiskSinks sinks) {
        SingleOutputStreamOperator<FeedRecord> decoded = feed
                .process(new FeedRecordSplitter(SideOutputs.REJECTED))
                .uid("split-rejected").name("split rejected");

        SingleOutputStreamOperator<Event> unique = decoded
                .keyBy(r -> r.event().eventId())
                .process(new DuplicateAndLateFilter(SideOutputs.REJECTED, rules.allowedLatenessMillis(), DEDUPE_HORIZON))
                .uid("dedupe-late").name("drop duplicates, reject late");

        DataStream<PersonInput> personEvents = unique
                .filter(new HasPerson()).uid("person-events").name("person events")
                .map(new ToPersonInput.FromEvent()).uid("person-event-inputs").name("as person input");
        DataStream<PersonInput> exposures = ContactDetection.apply(unique, contactRules)
                .map(new ToPersonInput.FromExposure()).uid("exposure-inputs").name("exposures as person input");

        DataStream<PersonInput> areaStays = unique
                .filter(new IsType(EventType.HOTEL_CHECKIN, EventType.TRIP)).uid("stay-events").name("stays")
                .filter(new HasPerson()).uid("stays-with-person").name("stays with a person")
                .keyBy(Event::personId)
                .connect(unique.filter(new IsType(EventType.RISK_AREA)).uid("risk-area-events").name("risk areas")
                        .broadcast(RiskAreaMatcher.LISTINGS))
                .process(new RiskAreaMatcher()).uid("risk-area-stays").name("stays in risk areas");

        SingleOutputStreamOperator<StatusChange> statuses = personEvents.union(exposures, areaStays)
                .keyBy(PersonInput::personId)
                .connect(ruleUpdates.broadcast(RuleBroadcast.DESCRIPTOR))
                .process(new PersonRiskFunction(rules, SideOutputs.REJECTED))
                .uid("person-risk").name("person risk");

        DataStream<Rejected> rejected = decoded.getSideOutput(SideOutputs.REJECTED)
                .union(unique.getSideOutput(SideOutputs.REJECTED), statuses.getSideOutput(SideOutputs.REJECTED));

        sinks.attach(statuses, rejected);
    }
}
