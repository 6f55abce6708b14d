package org.healthcode.risk.crossregion;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.StatusChange;

/**
 * Keyed by person: decides when this region pushes one of its red/yellow persons to another region (区域协查).
 * Input 1 is the person's status changes, input 2 their stays (carrier city stays joined to the person, trip
 * arrivals, hotel check-ins); the directory says which region an area belongs to.
 *
 * <p>A person is in another region from a stay there until {@code presenceMs} after it ends. While they are red or
 * yellow for a reason of this region and have a national pseudonym, every region they are in gets a request: at
 * once when the stay or the status arrives (whichever comes second), again when colour or since change, and again
 * when half the pushed record's validity has passed and a new stay or status shows they are still there. When the
 * status turns green (or only other regions' records keep it coloured), each region pushed to gets a withdrawal
 * (colour green).
 *
 * <p>State end of life: {@code status} is cleared when the person is no longer pushable; {@code presence} entries
 * and {@code pushed} entries leave at an event-time timer when their window or expiry passes.
 */
public class ExchangeTrigger extends KeyedCoProcessFunction<String, StatusChange, Event, ExchangeRequest> {
    private final ExchangeSettings settings;

    private transient ValueState<PushableStatus> status;
    private transient MapState<String, Long> presence;
    private transient MapState<String, ExchangeRequest> pushed;

    public ExchangeTrigger(ExchangeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        status = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("status", TypeInformation.of(PushableStatus.class)));
        presence = getRuntimeContext().getMapState(new MapStateDescriptor<>("presence", Types.STRING, Types.LONG));
        pushed = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("pushed", Types.STRING, TypeInformation.of(ExchangeRequest.class)));
    }

    @Override
    public void processElement1(StatusChange s, Context ctx, Collector<ExchangeRequest> out) throws Exception {
        boolean coloured = s.colour().equals("red") || s.colour().equals("yellow");
        String category = coloured ? PushableStatus.category(s.conditions(), s.colour()) : null;
        if (category == null || s.nationalId() == null) {
            status.clear();
            List<ExchangeRequest> withdrawals = new ArrayList<>();
            for (ExchangeRequest p : pushed.values()) {
                withdrawals.add(new ExchangeRequest(
                        p.fromRegion(),
                        p.toRegion(),
                        p.nationalId(),
                        "green",
                        p.reasonCategory(),
                        s.effectiveMs(),
                        s.effectiveMs() + settings.validityMs()));
            }
            withdrawals.forEach(out::collect);
            pushed.clear();
            return;
        }
        PushableStatus current = new PushableStatus(s.nationalId(), s.colour(), category, s.sinceMs(), s.effectiveMs());
        status.update(current);
        for (Map.Entry<String, Long> p : presence.entries()) {
            if (p.getValue() + settings.presenceMs() > s.effectiveMs()) {
                push(p.getKey(), current, s.effectiveMs(), ctx, out);
            }
        }
    }

    @Override
    public void processElement2(Event stay, Context ctx, Collector<ExchangeRequest> out) throws Exception {
        String area = switch (stay.type()) {
            case TRIP -> stay.toArea();
            default -> stay.areaCode();
        };
        String region = settings.directory().regionOf(area);
        if (region == null || region.equals(settings.ownRegion())) {
            return;
        }
        long end = switch (stay.type()) {
            case TRIP -> stay.arrival() != null ? stay.arrival() : stay.time();
            case CITY_STAY -> stay.to() != null ? stay.to() : stay.time();
            case HOTEL_CHECKIN -> stay.checkOut() != null ? stay.checkOut() : stay.time();
            default -> stay.time();
        };
        Long before = presence.get(region);
        if (before == null || before < end) {
            presence.put(region, end);
            ctx.timerService().registerEventTimeTimer(end + settings.presenceMs());
        }
        PushableStatus s = status.value();
        if (s != null && s.effectiveMs() < end + settings.presenceMs()) {
            push(region, s, Math.max(s.effectiveMs(), stay.time()), ctx, out);
        }
    }

    /** Pushes unless the region already has this colour and since, and more than half its validity is left. */
    private void push(String region, PushableStatus s, long at, Context ctx, Collector<ExchangeRequest> out)
            throws Exception {
        ExchangeRequest last = pushed.get(region);
        if (last != null
                && last.colour().equals(s.colour())
                && last.sinceMs() == s.sinceMs()
                && last.reasonCategory().equals(s.reasonCategory())
                && last.expiryMs() - settings.validityMs() / 2 > at) {
            return;
        }
        ExchangeRequest r = new ExchangeRequest(
                settings.ownRegion(),
                region,
                s.nationalId(),
                s.colour(),
                s.reasonCategory(),
                s.sinceMs(),
                at + settings.validityMs());
        out.collect(r);
        pushed.put(region, r);
        ctx.timerService().registerEventTimeTimer(r.expiryMs());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExchangeRequest> out) throws Exception {
        Iterator<Map.Entry<String, Long>> it = presence.iterator();
        while (it.hasNext()) {
            if (it.next().getValue() + settings.presenceMs() <= timestamp) {
                it.remove();
            }
        }
        Iterator<Map.Entry<String, ExchangeRequest>> p = pushed.iterator();
        while (p.hasNext()) {
            if (p.next().getValue().expiryMs() <= timestamp) {
                p.remove();
            }
        }
        if (presence.isEmpty()) {
            presence.clear(); // an empty map is still an entry on the heap backend
        }
        if (pushed.isEmpty()) {
            pushed.clear();
        }
    }
}
