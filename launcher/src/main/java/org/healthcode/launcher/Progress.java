package org.healthcode.launcher;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.proto.StatusRecord;

/**
 * The demo's progress line: events in, statuses out, persons not green, rejected, lookup-service lag.
 *
 * <p>Reads the topics as any client would (end offsets; the {@code status} topic with read_committed, so it
 * counts only what the exactly-once sink committed) and scrapes the lookup service's {@code /metrics}.
 */
final class Progress implements AutoCloseable {
    private static final Duration EVERY = Duration.ofSeconds(3);

    private final String bootstrap;
    private final String lookupUrl;
    private final KafkaClientSettings kafka;
    private final PrintStream out;
    private final long startedAt;
    private final Thread thread;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean running = true;

    Progress(String bootstrap, KafkaClientSettings kafka, String lookupUrl, PrintStream out, long startedAt) {
        this.kafka = kafka;
        this.bootstrap = bootstrap;
        this.lookupUrl = lookupUrl;
        this.out = out;
        this.startedAt = startedAt;
        this.thread = new Thread(this::run, "demo-progress");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-progress-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, String> colours = new HashMap<>();
        long statuses = 0;
        long lastEvents = -1;
        long lastAt = System.nanoTime();
        boolean announced = false;
        try (KafkaConsumer<String, byte[]> statusReader =
                        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<byte[], byte[]> offsets =
                        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            statusReader.subscribe(List.of("status"));
            long nextPrint = System.nanoTime();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : statusReader.poll(Duration.ofMillis(500))) {
                    statuses++;
                    if (r.value() == null) {
                        colours.remove(r.key());
                        continue;
                    }
                    try {
                        StatusRecord s = StatusRecord.parseFrom(r.value());
                        colours.put(s.getPersonId(), s.getColour());
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        // not ours to judge here; the lookup service reports undecodable records
                    }
                }
                if (!announced) {
                    String someone = colours.entrySet().stream()
                            .filter(e -> !"green".equals(e.getValue()))
                            .map(Map.Entry::getKey)
                            .sorted()
                            .findFirst()
                            .orElse(null);
                    if (someone != null) {
                        announced = true;
                        say(String.format(
                                "first person not green after %.1f s: %s is %s",
                                seconds(), someone, colours.get(someone)));
                        say("look them up:  curl -s " + lookupUrl + "/v1/status/" + someone);
                    }
                }
                if (System.nanoTime() >= nextPrint) {
                    nextPrint = System.nanoTime() + EVERY.toNanos();
                    long events = endOffsets(offsets, DemoTopics.feedTopics());
                    long rejected = endOffsets(offsets, List.of("rejected"));
                    long now = System.nanoTime();
                    double rate = lastEvents < 0 ? 0 : (events - lastEvents) / ((now - lastAt) / 1e9);
                    lastEvents = events;
                    lastAt = now;
                    Map<String, Long> byColour =
                            colours.values().stream().collect(Collectors.groupingBy(c -> c, Collectors.counting()));
                    say(String.format(
                            "events in %,d (%,.0f/s) | statuses out %,d | yellow %,d red %,d | rejected %,d | lookup lag %s",
                            events,
                            rate,
                            statuses,
                            byColour.getOrDefault("yellow", 0L),
                            byColour.getOrDefault("red", 0L),
                            rejected,
                            lookupLag()));
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                say("progress reporting stopped: " + e.getMessage());
            }
        }
    }

    private static long endOffsets(KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        long total = 0;
        for (String t : topics) {
            List<PartitionInfo> parts = consumer.partitionsFor(t, Duration.ofSeconds(2));
            if (parts == null) {
                continue;
            }
            List<TopicPartition> tps = parts.stream()
                    .map(pi -> new TopicPartition(t, pi.partition()))
                    .toList();
            for (Long end : consumer.endOffsets(tps, Duration.ofSeconds(2)).values()) {
                total += end;
            }
        }
        return total;
    }

    /** The consumer-lag gauge of the lookup service's /metrics, or "?" while it does not answer. */
    private String lookupLag() {
        try {
            String metrics = Demo.httpGet(http, lookupUrl + "/metrics");
            long lag = 0;
            boolean found = false;
            for (String line : metrics.split("\n")) {
                if (!line.startsWith("#") && line.contains("lag")) {
                    String[] parts = line.trim().split("\\s+");
                    lag += (long) Double.parseDouble(parts[parts.length - 1]);
                    found = true;
                }
            }
            return found ? Long.toString(lag) : "?";
        } catch (Exception e) {
            return "?";
        }
    }

    private double seconds() {
        return (System.nanoTime() - startedAt) / 1e9;
    }

    private void say(String line) {
        out.printf("[%4ds] %s%n", (long) seconds(), line);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
