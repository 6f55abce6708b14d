package org.healthcode.risk.functions;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.healthcode.contracts.areas.RiskAreaListing;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.PublishedRecord;

/**
 * A risk-area listing event as the {@code risk-areas} topic's record (key = the listing's event id), for the serving
 * process; listings {@link RiskAreaMatcher} ignores (no area, level or start) are not published either.
 */
public class ToRiskAreaListing implements FlatMapFunction<Event, PublishedRecord> {
    @Override
    public void flatMap(Event e, Collector<PublishedRecord> out) {
        if (e.areaCode() == null || e.level() == null || e.from() == null) {
            return;
        }
        RiskAreaListing l = new RiskAreaListing(e.eventId(), e.areaCode(), e.level(), e.from(), e.to());
        out.collect(new PublishedRecord(e.eventId(), l.toJson()));
    }
}
