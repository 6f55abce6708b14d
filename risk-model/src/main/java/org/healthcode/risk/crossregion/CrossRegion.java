package org.healthcode.risk.crossregion;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.events.PersonInput;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.functions.IsType;
import org.healthcode.risk.functions.ToPersonInput;

/**
 * The cross-region part of the risk topology (区域协查), wired here so {@code RiskWorkflow} stays one screen:
 * risk persons pushed by other regions matched to this region's persons, and the requests to push this region's
 * red/yellow persons to the regions they are in.
 */
public final class CrossRegion {
    private CrossRegion() {}

    /** The interop feed's risk_person records, as inputs of the person they name (through the identity binding). */
    public static DataStream<PersonInput> riskPersons(DataStream<Event> unique) {
        return unique.filter(new IsType(EventType.IDENTITY, EventType.RISK_PERSON))
                .uid("bindings-and-risk-persons")
                .name("identity bindings and risk persons")
                .filter(new HasNationalId())
                .uid("with-national-id")
                .name("with a national pseudonym")
                .keyBy(Event::nationalId)
                .process(new NationalIdMatcher())
                .uid("risk-person-matcher")
                .name("risk persons to persons")
                .map(new ToPersonInput.FromEvent())
                .uid("risk-person-inputs")
                .name("risk persons as person input");
    }

    /** Requests to push red/yellow persons to the other regions they stay in (the live job's exchange-out). */
    public static DataStream<ExchangeRequest> exchangeRequests(
            DataStream<StatusChange> statuses, DataStream<Event> stays, ExchangeSettings settings) {
        return statuses.keyBy(StatusChange::personId)
                .connect(stays.keyBy(Event::personId))
                .process(new ExchangeTrigger(settings))
                .uid("exchange-trigger")
                .name("risk persons to push");
    }
}
