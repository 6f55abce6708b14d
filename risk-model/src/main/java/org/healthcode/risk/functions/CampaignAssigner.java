package org.healthcode.risk.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.CampaignCheck;

/**
 * Keyed by person over identity bindings, with the testing campaigns as broadcast state: hands every campaign whose
 * GB/T 2260 area covers an area the person has been bound to (440100 covers 440106; a district campaign does not
 * cover a city-level binding) to {@code MissedTestDetector}, whichever arrives first.
 *
 * <p>Two stages because a broadcast campaign cannot set the event-time timers of the persons it concerns: this one
 * finds them ({@code applyToKeyedState}), the next one keeps the interval timers. State end of life: {@code areas}
 * holds the household areas of the person's latest {@link #MAX_AREAS} identity bindings, for as long as the person
 * has an identity binding (what future campaigns need); campaigns stay in broadcast state (one entry each).
 */
public class CampaignAssigner extends KeyedBroadcastProcessFunction<String, Event, Event, CampaignCheck> {
    public static final MapStateDescriptor<String, Event> CAMPAIGNS =
            new MapStateDescriptor<>("campaigns", Types.STRING, TypeInformation.of(Event.class));
    static final int MAX_AREAS = 3;
    private static final ValueStateDescriptor<List<String>> AREAS =
            new ValueStateDescriptor<>("areas", Types.LIST(Types.STRING));

    private transient ValueState<List<String>> areas;

    @Override
    public void open(OpenContext openContext) {
        areas = getRuntimeContext().getState(AREAS);
    }

    @Override
    public void processElement(Event identity, ReadOnlyContext ctx, Collector<CampaignCheck> out) throws Exception {
        if (identity.areaCode() == null) {
            return;
        }
        List<String> known = areas.value() == null ? new ArrayList<>() : new ArrayList<>(areas.value());
        if (!known.contains(identity.areaCode())) {
            known.add(identity.areaCode());
            while (known.size() > MAX_AREAS) {
                known.remove(0);
            }
            areas.update(known);
        }
        for (Map.Entry<String, Event> c : ctx.getBroadcastState(CAMPAIGNS).immutableEntries()) {
            if (RiskAreaMatcher.covers(c.getValue().areaCode(), identity.areaCode())) {
                out.collect(check(identity.personId(), c.getValue()));
            }
        }
    }

    @Override
    public void processBroadcastElement(Event campaign, Context ctx, Collector<CampaignCheck> out) throws Exception {
        if (campaign.areaCode() == null
                || campaign.from() == null
                || campaign.to() == null
                || campaign.intervalHours() == null) {
            return;
        }
        ctx.getBroadcastState(CAMPAIGNS).put(campaign.eventId(), campaign);
        ctx.applyToKeyedState(AREAS, (person, personAreas) -> {
            List<String> list = personAreas.value();
            if (list != null && list.stream().anyMatch(a -> RiskAreaMatcher.covers(campaign.areaCode(), a))) {
                out.collect(check(person, campaign));
            }
        });
    }

    private static CampaignCheck check(String person, Event c) {
        return new CampaignCheck(person, c.eventId(), c.areaCode(), c.from(), c.to(), c.intervalHours());
    }
}
