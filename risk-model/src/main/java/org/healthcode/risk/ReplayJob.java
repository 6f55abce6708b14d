package org.healthcode.risk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.config.Args;
import org.healthcode.risk.config.ReplayConfig;
import org.healthcode.risk.config.RiskJobConfig;
import org.healthcode.risk.events.FeedRecord;
import org.healthcode.risk.events.RuleSetUpdate;
import org.healthcode.risk.functions.LatestEventTime;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.rules.RuleSetJson;
import org.healthcode.risk.sinks.LocalPartFilesSink;
import org.healthcode.risk.sinks.ReplayLine;
import org.healthcode.risk.sinks.ReplayLines;
import org.healthcode.risk.sources.ArchiveFiles;
import org.healthcode.risk.sources.DecodedLineFormat;
import org.healthcode.risk.sources.FeedDeserializer;
import org.healthcode.risk.sources.FeedSources;
import org.healthcode.risk.sources.FeedWatermarks;
import org.healthcode.risk.sources.KafkaPositions;
import org.healthcode.risk.sources.NeverHoldsBackTime;
import org.healthcode.risk.sources.ReplayProgress;

/**
 * Replay for analysts: the live workflow, bounded over a JSON Lines archive, in event-time order whatever the line
 * order. Writes {@code changelog.jsonl} (every status change, by effective time), {@code statuses.jsonl} (each
 * person as of {@code --at}, from the changelog, because at the end of bounded input Flink fires every pending
 * timer, including phase ends after {@code --at}), {@code rejected.jsonl} (by line number) and {@code audit.jsonl}
 * (every override request, approval, refusal and withdrawal with its outcome, by event time). Same input, same
 * rules: byte-identical files. Keyed state on the heap ({@code --mode fast}, the default) or in RocksDB as in the
 * live job ({@code --mode streaming}); the archive is a file (plain or gzip), a directory of them, or the feed topics
 * of a Kafka cluster between two positions.
 */
public final class ReplayJob {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private ReplayJob() {}

    public static void main(String[] args) throws Exception {
        if (Args.helpRequested(args)) {
            System.out.print(ReplayConfig.USAGE);
            return;
        }
        ReplayConfig cfg;
        try {
            cfg = ReplayConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(ReplayConfig.USAGE);
            System.exit(2);
            return;
        }
        Configuration conf = new Configuration();
        // as the live job runs locally: RocksDB's cache and write buffers sized to the heap (Flink's local default
        // of 128 MB sends a large city's reads to files), object reuse, bloom filters (see RiskJobConfig)
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, RiskJobConfig.autoManagedMemory());
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // the national key as the live job finds it, so statuses (and their seq) match the live ones
        Summary s = replay(env, cfg, Decoders.forRegion(cfg.secretFile(), cfg.workDir(), null, cfg.overrideKeyFile()));
        System.out.println("REPLAY DONE " + s.changes() + " status changes, " + s.persons() + " persons, "
                + s.rejected() + " rejected lines, " + s.blankLines() + " blank lines skipped, as of " + s.at()
                + " -> " + cfg.out());
    }

    /** What a replay wrote. */
    public record Summary(int changes, int persons, int rejected, long blankLines, String at) {}

    public static Summary replay(StreamExecutionEnvironment env, ReplayConfig cfg, EventDecoder decoder)
            throws Exception {
        byte[] rulesJson = cfg.rulesFile() == null ? RuleSet.defaultJson() : Files.readAllBytes(cfg.rulesFile());
        RuleSet rules = RuleSetJson.parse(rulesJson);
        if (cfg.parallelism() > 0) {
            env.setParallelism(cfg.parallelism());
        }
        Configuration state = new Configuration();
        state.set(StateBackendOptions.STATE_BACKEND, cfg.mode() == ReplayConfig.Mode.FAST ? "hashmap" : "rocksdb");
        env.configure(state);

        ArchiveFiles archive = cfg.events() == null ? null : ArchiveFiles.scanLines(cfg.events());
        DataStream<FeedRecord> feed = (archive != null
                        ? files(env, archive, decoder)
                        : kafka(env, cfg.kafka(), decoder))
                .map(new ReplayProgress.Probe())
                .uid("progress")
                .name("progress")
                .assignTimestampsAndWatermarks(FeedWatermarks.endOfInputOnly())
                .uid("event-time")
                .name("event time");

        DataStream<ReplayLine> latest = feed.transform("latest event time", Types.LONG, new LatestEventTime())
                .uid("latest-event-time")
                .map(new ReplayLines.OfLatestEventTime())
                .name("render latest");
        Path parts = Files.createTempDirectory("replay-parts");
        Path vehicleParts = Files.createTempDirectory("replay-vehicle-parts");
        // the rule file is also the one message of the rules input, so a replay runs exactly the live topology
        DataStream<RuleSetUpdate> ruleUpdates = env.fromData(RuleSetUpdate.ofFile(rulesJson))
                .assignTimestampsAndWatermarks(NeverHoldsBackTime.strategy())
                .name("rule file");
        RiskWorkflow.define(
                feed,
                rules,
                ruleUpdates,
                rules.contacts(),
                RiskSinks.withVehicleCases(
                        (statuses, rejected, audit) -> statuses.map(new ReplayLines.OfChange())
                                .name("render changes")
                                .union(
                                        rejected.map(new ReplayLines.OfRejected())
                                                .name("render rejected"),
                                        latest,
                                        audit.map(new ReplayLines.OfAudit()).name("render audit"))
                                .sinkTo(new LocalPartFilesSink(parts))
                                .name("replay part files"),
                        vehicles -> vehicles.map(new ReplayLines.OfVehicleCases())
                                .name("render vehicle cases")
                                .sinkTo(new LocalPartFilesSink(vehicleParts))
                                .name("replay vehicle part files")));
        ReplayProgress.reset();
        JobClient job = env.executeAsync("healthcode replay (rules " + rules.version() + ")");
        long total = archive == null ? -1 : archive.lines();
        while (true) {
            try {
                job.getJobExecutionResult().get(PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (cfg.progress()) {
                    System.err.println(ReplayProgress.line(
                            ReplayProgress.read(), total, ReplayProgress.latestEventTime(), ReplayProgress.reading()));
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }

        List<ReplayLine> changes = new ArrayList<>();
        List<ReplayLine> rejected = new ArrayList<>();
        List<ReplayLine> audit = new ArrayList<>();
        long latestEventTime = Long.MIN_VALUE;
        try (var files = Files.list(parts)) {
            for (Path part : files.toList()) {
                for (String text : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    ReplayLine l = LocalPartFilesSink.parse(text);
                    switch (l.kind()) {
                        case ReplayLine.CHANGE -> changes.add(l);
                        case ReplayLine.REJECTED -> rejected.add(l);
                        case ReplayLine.AUDIT -> audit.add(l);
                        default -> latestEventTime = Math.max(latestEventTime, l.time());
                    }
                }
                Files.delete(part);
            }
        }
        Files.delete(parts);
        // a vehicle's records all come from one subtask, in the order emitted: the last one is its record
        Map<String, String> vehicleCases = new TreeMap<>();
        try (var files = Files.list(vehicleParts)) {
            for (Path part : files.toList()) {
                for (String text : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    ReplayLine l = LocalPartFilesSink.parse(text);
                    if (l.json() == null) {
                        vehicleCases.remove(l.personId());
                    } else {
                        vehicleCases.put(l.personId(), l.json());
                    }
                }
                Files.delete(part);
            }
        }
        Files.delete(vehicleParts);
        long at = cfg.at() != null ? cfg.at().toEpochMilli() : latestEventTime;
        changes.sort(Comparator.comparingLong(ReplayLine::time)
                .thenComparing(ReplayLine::personId)
                .thenComparingLong(ReplayLine::seq));
        rejected.sort(Comparator.comparingLong(ReplayLine::line).thenComparing(ReplayLine::json));
        audit.sort(Comparator.comparingLong(ReplayLine::time).thenComparing(ReplayLine::json));

        // changes are in effective-time order, and a person's effective times rise with seq: the last one at or
        // before `at` is the person's status then
        Map<String, ReplayLine> asOf = new TreeMap<>();
        for (ReplayLine c : changes) {
            if (c.time() <= at || !asOf.containsKey(c.personId())) {
                asOf.put(c.personId(), c);
            }
        }
        Files.createDirectories(cfg.out());
        write(
                cfg.out().resolve("changelog.jsonl"),
                changes.stream().map(ReplayLine::json).toList());
        List<String> statusLines = new ArrayList<>();
        for (Map.Entry<String, ReplayLine> e : asOf.entrySet()) {
            statusLines.add(e.getValue().time() <= at ? e.getValue().json() : greenLine(e.getKey()));
        }
        write(cfg.out().resolve("statuses.jsonl"), statusLines);
        write(
                cfg.out().resolve("rejected.jsonl"),
                rejected.stream().map(ReplayLine::json).toList());
        write(
                cfg.out().resolve("audit.jsonl"),
                audit.stream().map(ReplayLine::json).toList());
        write(cfg.out().resolve("vehicle-cases.jsonl"), new ArrayList<>(vehicleCases.values()));
        String atText = at == Long.MIN_VALUE
                ? "(no events)"
                : java.time.Instant.ofEpochMilli(at).toString();
        return new Summary(
                changes.size(), asOf.size(), rejected.size(), archive == null ? 0 : archive.blankLines(), atText);
    }

    /**
     * The archive's files, each its own source (so each keeps its line numbers after the files before it), decoded
     * by the source's reading thread and helpers, in line order.
     */
    private static DataStream<FeedRecord> files(
            StreamExecutionEnvironment env, ArchiveFiles archive, EventDecoder decoder) {
        DataStream<FeedRecord> all = null;
        for (int i = 0; i < archive.files().size(); i++) {
            FileSource<FeedRecord> file = FileSource.forRecordStreamFormat(
                            new DecodedLineFormat(
                                    decoder, archive.lineOffsets().get(i), DecodedLineFormat.helpersForThisMachine()),
                            new org.apache.flink.core.fs.Path(
                                    archive.files().get(i).toUri()))
                    .build();
            String suffix = i == 0 ? "" : "-" + i;
            DataStream<FeedRecord> decoded = env.fromSource(
                            file, WatermarkStrategy.noWatermarks(), "events file" + suffix)
                    .uid("events-file" + suffix);
            all = all == null ? decoded : all.union(decoded);
        }
        return all;
    }

    /** The Protobuf feed topics of a Kafka cluster, bounded, decoded as the live job decodes them. */
    private static DataStream<FeedRecord> kafka(
            StreamExecutionEnvironment env, ReplayConfig.KafkaArchive k, EventDecoder decoder) {
        List<String> topics = FeedSources.feedTopics(k.topicPrefix());
        KafkaSource<FeedRecord> source = KafkaSource.<FeedRecord>builder()
                .setBootstrapServers(k.bootstrapServers())
                .setTopics(topics)
                .setGroupId("healthcode-replay")
                .setProperties(k.client().properties())
                .setStartingOffsets(KafkaPositions.start(k.bootstrapServers(), k.client(), topics, k.from()))
                .setBounded(KafkaPositions.stop(k.bootstrapServers(), k.client(), topics, k.to()))
                .setDeserializer(new FeedDeserializer(decoder))
                .setProperty("isolation.level", "read_committed")
                .setProperty("enable.auto.commit", "false")
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "feed topics")
                .uid("feed-topics");
    }

    /** A person whose first status change comes after the as-of time: green, no conditions, no status yet. */
    private static String greenLine(String personId) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("personId", personId);
        n.put("colour", "green");
        n.putArray("conditions");
        n.put("seq", 0);
        return JSON.writeValueAsString(n);
    }

    private static void write(Path file, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
    }
}
