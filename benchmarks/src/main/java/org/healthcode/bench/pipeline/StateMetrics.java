package org.healthcode.bench.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RocksDB's own view of the job's keyed state, from Flink's RocksDB native metrics in the Prometheus scrape of the
 * job's process: {@code estimate-live-data-size} (the data a full compaction would keep) and
 * {@code live-sst-files-size}, each summed over subtasks by operator and column family (a state's name: two operators
 * may each have a state of the same name). With {@code column-family-as-variable} Flink names them
 * {@code flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size} with a
 * {@code column_family} label (without it, the column family is part of the name and this finds nothing).
 */
public final class StateMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern FAMILY = Pattern.compile("column_family=\"([^\"]*)\"");
    private static final Pattern OPERATOR = Pattern.compile("operator_name=\"([^\"]*)\"");

    /**
     * Bytes by {@code operator/state}, and their totals; {@code answered} is false when no reporter answered (then
     * the figures are not zeros but unknown).
     */
    public record Sizes(Map<String, Long> liveDataByFamily, long liveData, long liveSstFiles, boolean answered) {}

    private StateMetrics() {}

    /** Scrapes every port on localhost and sums; ports that do not answer count nothing. */
    public static Sizes scrape(List<Integer> ports) {
        StringBuilder all = new StringBuilder();
        boolean answered = false;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int port : ports) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                all.append(r.body()).append('\n');
                answered |= r.statusCode() == 200;
            } catch (Exception e) {
                // the job manager's reporter has no state metrics; a port that does not answer has none either
            }
        }
        Sizes s = parse(all.toString());
        return new Sizes(s.liveDataByFamily(), s.liveData(), s.liveSstFiles(), answered);
    }

    /** Sums the samples of a Prometheus text exposition. */
    static Sizes parse(String text) {
        Map<String, Long> byFamily = new TreeMap<>();
        long live = 0;
        long sst = 0;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            boolean isLive = name.endsWith("rocksdb_estimate_live_data_size");
            boolean isSst = name.endsWith("rocksdb_live_sst_files_size");
            if (!isLive && !isSst) {
                continue;
            }
            long v = (long) Double.parseDouble(m.group(3));
            if (isSst) {
                sst += v;
                continue;
            }
            live += v;
            Matcher f = FAMILY.matcher(m.group(2));
            Matcher o = OPERATOR.matcher(m.group(2));
            String state = (o.find() ? o.group(1) + "/" : "") + (f.find() ? f.group(1) : "(unnamed)");
            byFamily.merge(state, v, Long::sum);
        }
        return new Sizes(byFamily, live, sst, !text.isBlank());
    }
}
