package org.healthcode.risk.contacts;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.contracts.vehicles.VehicleCases;
import org.healthcode.risk.events.PublishedRecord;

/**
 * Keyed by vehicle: which cases rode it inside their infectious window, published as {@link VehicleCases} (seat
 * positions and rides only, no person) for the fellow-traveller self-check. It takes the same case copies of trips
 * as {@link SameVehicleDetector} and keeps them the same way: the latest copy of a case is true for all of the case's
 * trips here, and a trip outside the case's window leaves (the case found earlier: the trip is withdrawn). Whenever
 * the set of cases' trips changes it emits the vehicle's whole record, or a tombstone when none is left.
 *
 * <p>State and its end of life: {@code case-trips} until the case's found + look-back (cleanup timers rounded up to
 * the hour, as the detectors'), when the record is published again without them; {@code published}, the JSON last
 * emitted, with the last case trip. At the end of a bounded input the timers do nothing ({@link EndOfInput}).
 */
public class VehicleCaseBoard extends KeyedProcessFunction<String, PersonActivity, PublishedRecord> {

    private final ContactRules rules;

    private transient MapState<String, PersonActivity> caseTrips;
    private transient ValueState<String> published;

    public VehicleCaseBoard(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        caseTrips = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("case-trips", Types.STRING, TypeInformation.of(PersonActivity.class)));
        published = getRuntimeContext().getState(new ValueStateDescriptor<>("published", Types.STRING));
    }

    @Override
    public void processElement(PersonActivity a, Context ctx, Collector<PublishedRecord> out) throws Exception {
        if (a.kind() != ActivityKind.TRIP || !a.isCaseCopy()) {
            return;
        }
        CaseCopies change = CaseCopies.rewrite(caseTrips, a);
        if (change.unchanged()) {
            return;
        }
        long expiry = a.caseFound() + rules.lookBackMillis();
        change.removeLeaving(caseTrips);
        if (expiry > ctx.timerService().currentWatermark()) {
            caseTrips.putAll(change.after());
            ctx.timerService().registerEventTimeTimer(PlaceMatchDetector.roundUp(expiry));
        } else {
            for (String k : change.after().keySet()) {
                caseTrips.remove(k); // already past its end of life: nothing to publish
            }
        }
        if (caseTrips.isEmpty()) {
            caseTrips.clear(); // no empty map left behind on any backend
        }
        publish(ctx.getCurrentKey(), out);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<PublishedRecord> out) throws Exception {
        if (EndOfInput.reached(ctx.timerService().currentWatermark())) {
            return;
        }
        long lookBack = rules.lookBackMillis();
        CompanionDetector.removeExpired(caseTrips, v -> v.caseFound() + lookBack <= ts);
        publish(ctx.getCurrentKey(), out);
    }

    /** Emits the vehicle's record when it differs from the last one emitted. */
    private void publish(String vehicle, Collector<PublishedRecord> out) throws Exception {
        List<VehicleCases.CaseTrip> trips = new ArrayList<>();
        for (PersonActivity t : caseTrips.values()) {
            trips.add(new VehicleCases.CaseTrip(
                    t.mode(), t.sealed(), t.carriage(), t.row(), t.from(), t.to(), t.caseFound()));
        }
        String json = trips.isEmpty() ? null : new VehicleCases(vehicle, rules.flightRowWindow(), trips).toJson();
        String last = published.value();
        if (json == null ? last == null : json.equals(last)) {
            return;
        }
        if (json == null) {
            published.clear();
            out.collect(PublishedRecord.tombstone(vehicle));
        } else {
            published.update(json);
            out.collect(new PublishedRecord(vehicle, json));
        }
    }
}
