package org.healthcode.risk.contacts;

import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.risk.metrics.DomainMetrics;

/**
 * Keyed by the exposed person: passes on what changes the exposures that stand for the person. The places emit an
 * exposure again when it is revised (same id, new content) and a withdrawal when it no longer holds; this keeps the
 * latest of each id and lets one companion exposure per case stand (a person who shared several cells with the case
 * gets the first of them in {@link Exposure#CHOICE}, whichever cell reported first), withdrawing the one it replaces.
 * A repeat of what stands changes nothing.
 *
 * <p>State and its end of life: {@code exposures} (the latest of each id) until the case's found + look-back
 * (cleanup timers rounded up to the hour); a repeat after that would be a new exposure only if the case were found
 * again.
 */
public class ExposureDeduplicator extends KeyedProcessFunction<String, Exposure, Exposure> {

    static final long CLEANUP_GRANULARITY = 3_600_000L;

    private final ContactRules rules;

    private transient MapState<String, Exposure> latest;
    private transient DomainMetrics.Labelled exposures;

    public ExposureDeduplicator(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        latest = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>("exposures", Types.STRING, TypeInformation.of(Exposure.class)));
        exposures = DomainMetrics.labelled(getRuntimeContext().getMetricGroup(), "exposures", "kind");
        for (ExposureKind kind : ExposureKind.values()) {
            exposures.register(kind.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Override
    public void processElement(Exposure e, Context ctx, Collector<Exposure> out) throws Exception {
        Exposure before = standing(e);
        if (e.withdrawn()) {
            latest.remove(e.exposureId());
        } else {
            long expiry = e.caseFound() + rules.lookBackMillis();
            if (expiry > ctx.timerService().currentWatermark()) {
                latest.put(e.exposureId(), e);
                ctx.timerService()
                        .registerEventTimeTimer(Math.floorDiv(expiry + CLEANUP_GRANULARITY - 1, CLEANUP_GRANULARITY)
                                * CLEANUP_GRANULARITY);
            } else if (before == null) {
                count(e);
                out.collect(e); // too old to keep: passed on, not stored
                return;
            }
        }
        Exposure after = standing(e);
        if (Objects.equals(before, after)) {
            return;
        }
        if (before != null && (after == null || !before.exposureId().equals(after.exposureId()))) {
            out.collect(before.withdrawal());
        }
        if (after != null) {
            if (before == null || !before.exposureId().equals(after.exposureId())) {
                count(after);
            }
            out.collect(after);
        }
    }

    /** What stands for the group {@code e} belongs to: the case's chosen companion exposure, else {@code e}'s id. */
    private Exposure standing(Exposure e) throws Exception {
        if (e.kind() != ExposureKind.COMPANION) {
            return latest.get(e.exposureId());
        }
        Exposure best = null;
        for (Exposure x : latest.values()) {
            if (x.kind() == ExposureKind.COMPANION
                    && x.caseId().equals(e.caseId())
                    && (best == null || Exposure.CHOICE.compare(x, best) < 0)) {
                best = x;
            }
        }
        return best;
    }

    private void count(Exposure e) {
        exposures.inc(e.kind().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Exposure> out) throws Exception {
        if (EndOfInput.reached(ctx.timerService().currentWatermark())) {
            return;
        }
        long lookBack = rules.lookBackMillis();
        CompanionDetector.removeExpired(latest, x -> x.caseFound() + lookBack <= ts);
    }
}
