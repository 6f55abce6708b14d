package org.healthcode.interop.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.healthcode.interop.store.StatusView;

/**
 * The serving process's counters and gauges, rendered in the Prometheus text format (version 0.0.4).
 *
 * <p>Counters are {@link LongAdder}s: request threads bump them without contending.
 */
public final class ServingMetrics {
    private final Map<String, LongAdder> lookups = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> accessRefused = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> interop = new ConcurrentHashMap<>();
    private final LongAdder recordsRead = new LongAdder();
    private final LongAdder recordsApplied = new LongAdder();
    private final LongAdder recordsStale = new LongAdder();
    private final LongAdder recordsDeleted = new LongAdder();
    private final LongAdder recordsMalformed = new LongAdder();
    private volatile long consumerLag = -1;
    private volatile LongSupplier viewPersons = () -> 0;
    private volatile BooleanSupplier consumerUp = () -> false;
    private volatile IntSupplier inFlight = () -> 0;
    private volatile LongSupplier viewAgeMillis = () -> 0;
    /** The lookup paths answered from the status view (by person id, or by national pseudonym for regions). */
    public static final List<String> STATUS_VIEW_PATHS = List.of("/v1/status/{personId}", "/v1/status:batch");

    private volatile IntSupplier queued = () -> 0;
    private volatile IntSupplier waitingForThread = () -> 0;
    /** Upper bounds (seconds) of the lookup latency histogram's buckets: the targets are p99 5 ms, p99.9 20 ms. */
    static final double[] LOOKUP_BUCKETS = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1};

    private final LongAdder[] lookupBuckets = newAdders(LOOKUP_BUCKETS.length);
    private final LongAdder lookupCount = new LongAdder();
    private final LongAdder lookupNanos = new LongAdder();
    private final Map<String, FollowerState> followers = new java.util.concurrent.ConcurrentSkipListMap<>();

    public ServingMetrics() {
        // at zero from the start, so the shedding ratio and the dashboards have a series before the first lookup
        lookups.put("found", new LongAdder());
        lookups.put("overloaded", new LongAdder());
    }

    /** The state of the follower called {@code name}, registered on first use (reported by /health and below). */
    public FollowerState follower(String name) {
        return followers.computeIfAbsent(name, n -> new FollowerState(n, java.time.Clock.systemUTC()));
    }

    /** Every follower registered, by name. */
    public java.util.List<FollowerState.View> followers() {
        return followers.values().stream().map(FollowerState::view).toList();
    }

    private static LongAdder[] newAdders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One status lookup answered in {@code nanos}, from its arrival until the response was written. */
    public void recordLookupDuration(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < LOOKUP_BUCKETS.length; i++) {
            if (seconds <= LOOKUP_BUCKETS[i]) {
                lookupBuckets[i].increment();
                break;
            }
        }
        lookupCount.increment();
        lookupNanos.add(nanos);
    }

    /** Counts one lookup under its result label ({@code found} or an error code). */
    public void recordLookup(String result) {
        LongAdder a = lookups.get(result); // a plain get first: computeIfAbsent may lock the bin on every call
        (a != null ? a : lookups.computeIfAbsent(result, r -> new LongAdder())).increment();
    }

    /** Counts a request refused by access control under its error code (unauthenticated, forbidden, rate_limited). */
    public void recordAccessRefused(String code) {
        accessRefused.computeIfAbsent(code, r -> new LongAdder()).increment();
    }

    /** Counts an interop event ({@code action/result}, e.g. {@code exchange_out/acknowledged}, {@code trust_refresh/ok}). */
    public void recordInterop(String action, String result) {
        interop.computeIfAbsent(action + "\0" + result, r -> new LongAdder()).increment();
    }

    public long accessRefused(String code) {
        LongAdder a = accessRefused.get(code);
        return a == null ? 0 : a.sum();
    }

    public void recordRead(int records) {
        recordsRead.add(records);
    }

    public void recordApplied(StatusView.ApplyResult result) {
        recordsApplied.add(result.applied());
        recordsStale.add(result.stale());
        recordsDeleted.add(result.deleted());
        recordsMalformed.add(result.malformed());
    }

    public void recordMalformed(int records) {
        recordsMalformed.add(records);
    }

    public void setConsumerLag(long records) {
        consumerLag = records;
    }

    /** Where the gauges read their current values. */
    public void bind(LongSupplier viewPersons, BooleanSupplier consumerUp, IntSupplier inFlight) {
        this.viewPersons = viewPersons;
        this.consumerUp = consumerUp;
        this.inFlight = inFlight;
    }

    /** Where the gauge of the status view's age (milliseconds) reads its value. */
    public void bindViewAge(LongSupplier statusViewAgeMillis) {
        this.viewAgeMillis = statusViewAgeMillis;
    }

    /** Where the gauge of lookups waiting for admission reads its value. */
    public void bindQueued(IntSupplier queuedLookups) {
        this.queued = queuedLookups;
    }

    /** Binds the number of requests waiting for an HTTP thread (the pool's queue). */
    public void bindWaitingForThread(IntSupplier waiting) {
        this.waitingForThread = waiting;
    }

    public long lookups(String result) {
        LongAdder a = lookups.get(result);
        return a == null ? 0 : a.sum();
    }

    public long recordsRead() {
        return recordsRead.sum();
    }

    public long recordsApplied() {
        return recordsApplied.sum();
    }

    public long recordsStale() {
        return recordsStale.sum();
    }

    /** Records behind the end of the topic (committed data only); -1 before the first measurement. */
    public long consumerLag() {
        return consumerLag;
    }

    /** The Prometheus text exposition of every metric. */
    public String render() {
        StringBuilder b = new StringBuilder(2048);
        b.append("# HELP healthcode_lookups_total Status lookups by result (found or an error code).\n");
        b.append("# TYPE healthcode_lookups_total counter\n");
        lookups.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("healthcode_lookups_total{result=\"")
                        .append(e.getKey())
                        .append("\"} ")
                        .append(e.getValue().sum())
                        .append('\n'));
        b.append("# HELP healthcode_access_refused_total Requests refused by access control, by error code.\n");
        b.append("# TYPE healthcode_access_refused_total counter\n");
        accessRefused.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("healthcode_access_refused_total{error=\"")
                        .append(e.getKey())
                        .append("\"} ")
                        .append(e.getValue().sum())
                        .append('\n'));
        b.append(
                "# HELP healthcode_interop_total Cross-region events (trust-list refreshes, exchange pushes), by result.\n");
        b.append("# TYPE healthcode_interop_total counter\n");
        interop.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] k = e.getKey().split("\0");
            b.append("healthcode_interop_total{action=\"")
                    .append(k[0])
                    .append("\",result=\"")
                    .append(k[1])
                    .append("\"} ")
                    .append(e.getValue().sum())
                    .append('\n');
        });
        b.append("# HELP healthcode_follower_up 1 while a follower (status view, audit log, exchange pusher, trust-list"
                + " refresh) does its work, 0 while it retries after a failure.\n");
        b.append("# TYPE healthcode_follower_up gauge\n");
        followers
                .values()
                .forEach(f -> b.append("healthcode_follower_up{follower=\"")
                        .append(f.name())
                        .append("\"} ")
                        .append(f.up() ? 1 : 0)
                        .append('\n'));
        b.append("# HELP healthcode_follower_failures_total Failed attempts of a follower (each is retried).\n");
        b.append("# TYPE healthcode_follower_failures_total counter\n");
        followers
                .values()
                .forEach(f -> b.append("healthcode_follower_failures_total{follower=\"")
                        .append(f.name())
                        .append("\"} ")
                        .append(f.failures())
                        .append('\n'));
        b.append("# HELP healthcode_lookup_duration_seconds Status lookups from arrival (admission queue included)"
                + " until the response was written.\n");
        b.append("# TYPE healthcode_lookup_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < LOOKUP_BUCKETS.length; i++) {
            cumulative += lookupBuckets[i].sum();
            b.append("healthcode_lookup_duration_seconds_bucket{le=\"")
                    .append(LOOKUP_BUCKETS[i])
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        long count = lookupCount.sum();
        b.append("healthcode_lookup_duration_seconds_bucket{le=\"+Inf\"} ")
                .append(count)
                .append('\n');
        b.append("healthcode_lookup_duration_seconds_sum ")
                .append(lookupNanos.sum() / 1e9)
                .append('\n');
        b.append("healthcode_lookup_duration_seconds_count ").append(count).append('\n');
        gauge(
                b,
                "healthcode_status_consumer_lag_records",
                "Committed status records not yet read into the view (-1: not measured yet).",
                consumerLag);
        b.append("# HELP healthcode_view_age_seconds How old the view each lookup path reads is: the time since it"
                + " last held everything committed to its topic.\n");
        b.append("# TYPE healthcode_view_age_seconds gauge\n");
        double statusAge = viewAgeMillis.getAsLong() / 1e3;
        for (String path : STATUS_VIEW_PATHS) {
            b.append("healthcode_view_age_seconds{view=\"status\",path=\"")
                    .append(path)
                    .append("\"} ")
                    .append(statusAge)
                    .append('\n');
        }
        b.append("# HELP healthcode_jvm_gc_collection_seconds_total Time the JVM's collectors spent collecting (for G1"
                + " and the ZGC Pauses collector: stop-the-world pauses).\n");
        b.append("# TYPE healthcode_jvm_gc_collection_seconds_total counter\n");
        for (java.lang.management.GarbageCollectorMXBean gc :
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            b.append("healthcode_jvm_gc_collection_seconds_total{gc=\"")
                    .append(gc.getName())
                    .append("\"} ")
                    .append(Math.max(0, gc.getCollectionTime()) / 1e3)
                    .append('\n');
        }
        b.append("# HELP healthcode_jvm_gc_collections_total Collections by collector.\n");
        b.append("# TYPE healthcode_jvm_gc_collections_total counter\n");
        for (java.lang.management.GarbageCollectorMXBean gc :
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            b.append("healthcode_jvm_gc_collections_total{gc=\"")
                    .append(gc.getName())
                    .append("\"} ")
                    .append(Math.max(0, gc.getCollectionCount()))
                    .append('\n');
        }
        gauge(
                b,
                "healthcode_status_consumer_up",
                "1 while the view follows the status topic.",
                consumerUp.getAsBoolean() ? 1 : 0);
        gauge(
                b,
                "healthcode_status_view_persons",
                "Persons in the status view (RocksDB estimate).",
                viewPersons.getAsLong());
        gauge(b, "healthcode_http_in_flight_requests", "Status lookups being answered now.", inFlight.getAsInt());
        gauge(b, "healthcode_http_queued_requests", "Status lookups waiting for admission now.", queued.getAsInt());
        gauge(
                b,
                "healthcode_http_waiting_for_thread",
                "Requests waiting for an HTTP thread now (lookups are refused at the door beyond a bound).",
                waitingForThread.getAsInt());
        counter(b, "healthcode_status_records_read_total", "Status topic records read.", recordsRead.sum());
        counter(
                b,
                "healthcode_status_records_applied_total",
                "Status records written to the view.",
                recordsApplied.sum());
        counter(
                b,
                "healthcode_status_records_stale_total",
                "Status records ignored because the view already had a seq at least as high.",
                recordsStale.sum());
        counter(
                b,
                "healthcode_status_records_deleted_total",
                "Tombstones applied (persons removed).",
                recordsDeleted.sum());
        counter(
                b,
                "healthcode_status_records_malformed_total",
                "Status records without a key or not parseable.",
                recordsMalformed.sum());
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(' ').append(value).append('\n');
    }
}
