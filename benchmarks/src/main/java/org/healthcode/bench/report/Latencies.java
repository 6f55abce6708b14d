package org.healthcode.bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/** Renders an HdrHistogram of nanoseconds as milliseconds at the percentiles the reports use. */
public final class Latencies {
    private Latencies() {}

    public static ObjectNode json(Histogram h) {
        ObjectNode n = Results.object();
        n.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return n;
        }
        n.put("p50Ms", ms(h.getValueAtPercentile(50)));
        n.put("p90Ms", ms(h.getValueAtPercentile(90)));
        n.put("p99Ms", ms(h.getValueAtPercentile(99)));
        n.put("p999Ms", ms(h.getValueAtPercentile(99.9)));
        n.put("maxMs", ms(h.getMaxValue()));
        n.put("meanMs", ms(h.getMean()));
        return n;
    }

    public static String text(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format(
                "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms",
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()));
    }

    public static double ms(double nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
