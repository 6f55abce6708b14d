package org.healthcode.risk.metrics;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The job's domain metrics, beside Flink's own: all under the metric group {@value #GROUP}, split by labels (Flink
 * key-value groups, which the Prometheus reporter turns into labels). Where each is counted:
 * <ul>
 *   <li>{@code events{feed}}, {@code eventTimeLagMs{feed}}: the feed sources' decoder (every record read, and
 *       wall clock minus the newest event time read from the feed, per parallel source);</li>
 *   <li>{@code statuses{colour}}: status changes written to the {@code status} topic;</li>
 *   <li>{@code rejections{topic,category}}: records written to the {@code rejected} topic;</li>
 *   <li>{@code lateEvents{outcome}}: events behind the watermark, {@code applied} within the allowed lateness or
 *       {@code rejected} beyond it;</li>
 *   <li>{@code exposures{kind}}: contact exposures after de-duplication;</li>
 *   <li>{@code overrideDecisions{action,outcome}}: override audit records (requests, approvals, refusals,
 *       withdrawals);</li>
 *   <li>{@code exchangeRequests}: risk persons queued for other regions.</li>
 * </ul>
 * Counts are of records handed to the sinks: after a restore, records replayed since the last checkpoint count
 * again (metrics are not exactly-once; the topics are).
 */
public final class DomainMetrics {
    /** The metric group every domain metric is under. */
    public static final String GROUP = "healthcode";

    /**
     * What was registered in each metric group, so a second registration of the same name returns the first
     * metric instead of a new one Flink would not report ("Name collision"): Kafka's sink writer opens its record
     * serializer twice on the same group. Weak keys: a group of a finished task goes with it.
     */
    private static final Map<MetricGroup, Map<String, Object>> REGISTERED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private DomainMetrics() {}

    /** The metric {@code name} of {@code group}, registered by {@code register} the first time only. */
    @SuppressWarnings("unchecked")
    public static <T> T once(MetricGroup group, String name, Function<MetricGroup, T> register) {
        synchronized (REGISTERED) {
            return (T) REGISTERED
                    .computeIfAbsent(group, g -> new HashMap<>())
                    .computeIfAbsent(name, n -> register.apply(group));
        }
    }

    /** The {@value #GROUP} group of an operator's (or a source's, or a sink's) metric group. */
    public static MetricGroup group(MetricGroup parent) {
        return parent.addGroup(GROUP);
    }

    /** A counter split by the values of {@code labels}, each combination registered the first time it is seen. */
    public static Labelled labelled(MetricGroup parent, String name, String... labels) {
        return new Labelled(group(parent), name, List.of(labels));
    }

    /** Counters of one metric by label values; not thread-safe (one per parallel instance, used by its task). */
    public static final class Labelled {
        private final MetricGroup group;
        private final String name;
        private final List<String> labels;
        private final Map<List<String>, Counter> counters = new HashMap<>();

        private Labelled(MetricGroup group, String name, List<String> labels) {
            this.group = group;
            this.name = name;
            this.labels = labels;
        }

        /** Registers the counter of {@code values} at zero, so dashboards show it before the first count. */
        public Labelled register(String... values) {
            counter(values);
            return this;
        }

        /** Counts one under {@code values}, one per label, in the labels' order. */
        public void inc(String... values) {
            counter(values).inc();
        }

        private Counter counter(String... values) {
            String[] v = values.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] == null ? "unknown" : v[i];
            }
            List<String> key = List.of(v);
            Counter c = counters.get(key);
            if (c == null) {
                MetricGroup g = group;
                for (int i = 0; i < labels.size(); i++) {
                    g = g.addGroup(labels.get(i), v[i]);
                }
                c = once(g, name, m -> m.counter(name));
                counters.put(key, c);
            }
            return c;
        }
    }
}
