package org.healthcode.risk;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.contacts.ContactDetection;
import org.healthcode.risk.contacts.ContactRules;
import org.healthcode.risk.contacts.PhoneSideSettings;
import org.healthcode.risk.crossregion.CrossRegion;
import org.healthcode.risk.crossregion.ExchangeSettings;
import org.healthcode.risk.crossregion.ExchangeSink;
import org.healthcode.risk.events.AuditRecord;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.FeedRecordSerializer;
import org.healthcode.risk.events.MissedTestInput;
import org.healthcode.risk.events.OverrideDecision;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.functions.CampaignAssigner;
import org.healthcode.risk.functions.CarrierPings;
import org.healthcode.risk.functions.CityStayOwner;
import org.healthcode.risk.functions.DuplicateAndLateFilter;
import org.healthcode.risk.functions.EventTimeBoundary;
import org.healthcode.risk.functions.FeedRecordSplitter;
import org.healthcode.risk.functions.HasPerson;
import org.healthcode.risk.functions.HasPhone;
import org.healthcode.risk.functions.IsPingRecord;
import org.healthcode.risk.functions.IsType;
import org.healthcode.risk.functions.MissedTestDetector;
import org.healthcode.risk.functions.OverrideRejections;
import org.healthcode.risk.functions.OverrideReview;
import org.healthcode.risk.functions.PersonRiskFunction;
import org.healthcode.risk.functions.RiskAreaMatcher;
import org.healthcode.risk.functions.RuleBroadcast;
import org.healthcode.risk.functions.SideOutputs;
import org.healthcode.risk.functions.ToMissedTestInput;
import org.healthcode.risk.functions.ToPersonInput;
import org.healthcode.risk.functions.ToRiskAreaListing;
import org.healthcode.risk.rules.RuleSet;

/**
 * The risk job's topology, wiring only: decoded feed records (with event-time timestamps and watermarks already
 * assigned) -> split off rejections -> drop duplicates, reject late events (carrier pings: those behind the carrier
 * watermark) -> contact detection (exposures) and
 * stays in listed risk areas (hotel, trip and carrier city stays, the last joined to persons by phone), missed mandatory tests (campaigns of the person's area), override review (keyed by request id) -> per-person risk over the person's events,
 * exposures, area stays, override decisions and risk persons pushed by other regions (matched by national
 * pseudonym) -> sinks (statuses, rejected, and the audit trail of every override event, including rejected records of
 * the overrides feed); with exchange settings, also the requests to push this region's red/yellow persons to the
 * regions they stay in ({@code CrossRegion}).
 * {@link RiskJob} passes Kafka, {@link ReplayJob} a file, tests bounded sources and collecting sinks.
 */
public final class RiskWorkflow {
    private static final EventType[] OVERRIDE_EVENTS = {
        EventType.OVERRIDE_REQUEST,
        EventType.OVERRIDE_APPROVAL,
        EventType.OVERRIDE_REFUSAL,
        EventType.OVERRIDE_WITHDRAWAL
    };

    private RiskWorkflow() {}

    /** Statuses and rejections only, for probes that do not look at the override audit trail. */
    @FunctionalInterface
    public interface StatusSinks {
        void attach(DataStream<StatusChange> statuses, DataStream<Rejected> rejected);
    }

    /** The topology without a consumer of the audit trail (the review still runs; nothing is written of it). */
    public static void define(
            DataStream<FeedRecord> feed,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            StatusSinks sinks) {
        define(feed, rules, ruleUpdates, contactRules, (RiskSinks)
                (statuses, rejected, audit) -> sinks.attach(statuses, rejected));
    }

    /**
     * @param feed decoded feed records with timestamps and watermarks
     * @param rules the rule set in force at start
     * @param ruleUpdates later rule sets (the {@code rules} topic); its watermarks must never hold back time
     * @param contactRules parameters of contact detection
     * @param sinks where statuses, rejections and the audit trail go
     */
    public static void define(
            DataStream<FeedRecord> feed,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            RiskSinks sinks) {
        define(feed, rules, ruleUpdates, contactRules, sinks, null, null);
    }

    /**
     * As above, and with {@code exchange} set, the requests to push this region's red/yellow persons to the regions
     * they stay in go to {@code exchangeSink} (risk persons pushed by other regions are applied either way). Every
     * feed, carrier pings included, in one event-time domain (replay, tests).
     */
    public static void define(
            DataStream<FeedRecord> feed,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            RiskSinks sinks,
            ExchangeSettings exchange,
            ExchangeSink exchangeSink) {
        define(
                feed.filter(new IsPingRecord().negate()).uid("not-ping-records").name("records other than pings"),
                feed.filter(new IsPingRecord()).uid("ping-records").name("ping records"),
                false,
                rules,
                ruleUpdates,
                contactRules,
                PhoneSideSettings.DEFAULTS,
                sinks,
                exchange,
                exchangeSink);
    }

    /**
     * The live job's form: the carrier feed in its own event-time domain. {@code carrier} carries the carrier topic
     * with its own watermark, which alone decides when contact detection applies the pings (carrier data often comes
     * a day late: it is on time there); the carrier's other records (city stays) cross into the other feeds' time
     * ({@link EventTimeBoundary}), where they may be late records, never rejected as late for it.
     * {@code phoneSide} sizes what contact detection's phone side keeps in heap (never its results). Its statuses
     * carry the epoch of the job's state ({@link PersonRiskFunction}).
     */
    public static void defineWithCarrierTime(
            DataStream<FeedRecord> feed,
            DataStream<FeedRecord> carrier,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            PhoneSideSettings phoneSide,
            RiskSinks sinks,
            ExchangeSettings exchange,
            ExchangeSink exchangeSink) {
        define(feed, carrier, true, rules, ruleUpdates, contactRules, phoneSide, sinks, exchange, exchangeSink);
    }

    private static void define(
            DataStream<FeedRecord> feed,
            DataStream<FeedRecord> carrier,
            boolean carrierOwnTime,
            RuleSet rules,
            DataStream<RuleSetUpdate> ruleUpdates,
            ContactRules contactRules,
            PhoneSideSettings phoneSide,
            RiskSinks sinks,
            ExchangeSettings exchange,
            ExchangeSink exchangeSink) {
        SingleOutputStreamOperator<Event> pings = carrier.transform(
                        "carrier pings", TypeInformation.of(Event.class), new CarrierPings(SideOutputs.REJECTED))
                .uid("carrier-pings");
        // in one time domain the carrier input holds decoded pings only, so there are no other carrier records
        DataStream<FeedRecord> records = !carrierOwnTime
                ? feed
                : feed.union(pings.getSideOutput(CarrierPings.OTHER_RECORDS)
                        .transform(
                                "carrier records into the feeds' time",
                                FeedRecordSerializer.TYPE,
                                new EventTimeBoundary<>())
                        .uid("carrier-other-records"));
        SingleOutputStreamOperator<FeedRecord> decoded = records.process(new FeedRecordSplitter(SideOutputs.REJECTED))
                .uid("split-rejected")
                .name("split rejected");

        SingleOutputStreamOperator<Event> unique = decoded.keyBy(new DuplicateAndLateFilter.ShardKey())
                .connect(ruleUpdates.broadcast(RuleBroadcast.LATENESS))
                .process(new DuplicateAndLateFilter(SideOutputs.REJECTED, rules.allowedLatenessMillis()))
                .uid("dedupe-late-sharded")
                .name("reject late, drop duplicates");

        DataStream<PersonInput> personEvents = unique.filter(new HasPerson())
                .uid("person-events")
                .name("person events")
                .filter(IsType.allBut(OVERRIDE_EVENTS))
                .uid("not-overrides")
                .name("not override events")
                .map(new ToPersonInput.FromEvent())
                .uid("person-event-inputs")
                .name("as person input");
        ContactDetection.Outputs contacts = ContactDetection.build(unique, pings, contactRules, phoneSide);
        DataStream<PersonInput> exposures = contacts.exposures()
                .map(new ToPersonInput.FromExposure())
                .uid("exposure-inputs")
                .name("exposures as person input");

        DataStream<Event> cityStays = unique.filter(new IsType(EventType.IDENTITY, EventType.CITY_STAY))
                .uid("phone-bindings-and-city-stays")
                .name("identity bindings and city stays")
                .filter(new HasPhone())
                .uid("with-phone")
                .name("with a phone")
                .keyBy(Event::msisdn)
                .process(new CityStayOwner())
                .uid("city-stay-owner")
                .name("city stays to persons");
        DataStream<Event> stays = unique.filter(
                        new IsType(EventType.HOTEL_CHECKIN, EventType.TRIP, EventType.ITINERARY_DECLARATION))
                .uid("stay-events")
                .name("stays")
                .filter(new HasPerson())
                .uid("stays-with-person")
                .name("stays with a person")
                .union(cityStays);
        DataStream<PersonInput> areaStays = stays.keyBy(Event::personId)
                .connect(unique.filter(new IsType(EventType.RISK_AREA))
                        .uid("risk-area-events")
                        .name("risk areas")
                        .broadcast(RiskAreaMatcher.LISTINGS))
                .process(new RiskAreaMatcher())
                .uid("risk-area-stays")
                .name("stays in risk areas");

        DataStream<MissedTestInput> campaignChecks = unique.filter(new IsType(EventType.IDENTITY))
                .uid("identity-events")
                .name("identity bindings")
                .filter(new HasPerson())
                .uid("identities-with-person")
                .name("identities with a person")
                .keyBy(Event::personId)
                .connect(unique.filter(new IsType(EventType.TEST_CAMPAIGN))
                        .uid("campaign-events")
                        .name("campaigns")
                        .broadcast(CampaignAssigner.CAMPAIGNS))
                .process(new CampaignAssigner())
                .uid("campaign-checks")
                .name("campaigns of the person's area")
                .map(new ToMissedTestInput.FromCheck())
                .uid("campaign-check-inputs")
                .name("as missed-test input");
        DataStream<PersonInput> missedTests = unique.filter(new IsType(EventType.IDENTITY, EventType.TEST_RESULT))
                .uid("identities-and-tests")
                .name("identities and tests")
                .filter(new HasPerson())
                .uid("identities-and-tests-with-person")
                .name("with a person")
                .map(new ToMissedTestInput.FromEvent())
                .uid("identity-test-inputs")
                .name("as missed-test input")
                .union(campaignChecks)
                .keyBy(MissedTestInput::personId)
                .process(new MissedTestDetector())
                .uid("missed-tests")
                .name("missed mandatory tests");

        SingleOutputStreamOperator<OverrideDecision> overrides = unique.filter(new IsType(OVERRIDE_EVENTS))
                .uid("override-events")
                .name("override events")
                .keyBy(Event::requestId)
                .process(new OverrideReview(SideOutputs.AUDIT, rules.overrideMaxMillis()))
                .uid("override-review")
                .name("review overrides");
        DataStream<PersonInput> overrideInputs = overrides
                .map(new ToPersonInput.FromOverride())
                .uid("override-inputs")
                .name("overrides as person input");

        DataStream<PersonInput> riskPersons = CrossRegion.riskPersons(unique);

        SingleOutputStreamOperator<StatusChange> statuses = personEvents
                .union(exposures, areaStays, overrideInputs, missedTests, riskPersons)
                .keyBy(PersonInput::personId)
                .connect(ruleUpdates.broadcast(RuleBroadcast.DESCRIPTOR))
                .process(new PersonRiskFunction(rules, SideOutputs.REJECTED, carrierOwnTime)) // live: epochs
                .uid("person-risk")
                .name("person risk");

        DataStream<Rejected> rejected = decoded.getSideOutput(SideOutputs.REJECTED)
                .union(
                        pings.getSideOutput(SideOutputs.REJECTED),
                        unique.getSideOutput(SideOutputs.REJECTED),
                        statuses.getSideOutput(SideOutputs.REJECTED));

        DataStream<AuditRecord> audit = overrides
                .getSideOutput(SideOutputs.AUDIT)
                .union(rejected.flatMap(new OverrideRejections())
                        .uid("audit-rejected-overrides")
                        .name("audit rejected override records"));

        sinks.attach(statuses, rejected, audit);
        sinks.attachVehicleCases(contacts.vehicleCases());
        sinks.attachRiskAreas(unique.filter(new IsType(EventType.RISK_AREA))
                .uid("published-risk-area-events")
                .name("risk areas to publish")
                .flatMap(new ToRiskAreaListing())
                .uid("risk-area-listings")
                .name("risk-area listings"));
        if (exchange != null) {
            exchangeSink.attach(CrossRegion.exchangeRequests(statuses, stays, exchange));
        }
    }
}
