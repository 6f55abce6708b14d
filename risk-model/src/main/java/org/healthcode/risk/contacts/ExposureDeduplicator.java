package org.healthcode.risk.contacts;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.healthcode.risk.metrics.DomainMetrics;

/**
 * Keyed by the exposed person: lets one companion exposure per case through (a person who shared several cells with
 * the case gets one, from whichever cell reported first) and drops repeats of any other exposure id.
 *
 * <p>State and its end of life: {@code seen} entries until the case's found + look-back (cleanup timers rounded up to
 * the hour); a repeat after that would be a new exposure only if the case were found again.
 */
public class ExposureDeduplicator extends KeyedProcessFunction<String, Exposure, Exposure> {

    static final long CLEANUP_GRANULARITY = 3_600_000L;

    private final ContactRules rules;

    private transient MapState<String, Long> seen;
    private transient DomainMetrics.Labelled exposures;

    public ExposureDeduplicator(ContactRules rules) {
        this.rules = rules.validated();
    }

    @Override
    public void open(OpenContext ctx) {
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen", Types.STRING, Types.LONG));
        exposures = DomainMetrics.labelled(getRuntimeContext().getMetricGroup(), "exposures", "kind");
        for (ExposureKind kind : ExposureKind.values()) {
            exposures.register(kind.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    static String dedupeKey(Exposure e) {
        return e.kind() == ExposureKind.COMPANION ? "companion|" + e.caseId() : e.exposureId();
    }

    @Override
    public void processElement(Exposure e, Context ctx, Collector<Exposure> out) throws Exception {
        String key = dedupeKey(e);
        if (seen.contains(key)) {
            return;
        }
        long expiry = e.caseFound() + rules.lookBackMillis();
        if (expiry > ctx.timerService().currentWatermark()) {
            seen.put(key, expiry);
            ctx.timerService().registerEventTimeTimer(
                    Math.floorDiv(expiry + CLEANUP_GRANULARITY - 1, CLEANUP_GRANULARITY) * CLEANUP_GRANULARITY);
        }
        exposures.inc(e.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.collect(e);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Exposure> out) throws Exception {
        if (EndOfInput.reached(ctx.timerService().currentWatermark())) {
            return;
        }
        CompanionDetector.removeExpired(seen, expiry -> expiry <= ts);
    }
}
