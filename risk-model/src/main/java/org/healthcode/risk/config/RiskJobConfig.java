package org.healthcode.risk.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.risk.contacts.PhoneSideSettings;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.rules.RuleSetJson;

/**
 * Everything {@code RiskJob} is told on its command line, with the defaults beside the options, validated at start
 * with every problem reported at once.
 */
public record RiskJobConfig(
        String bootstrapServers,
        String checkpointDir,
        Path secretFile,
        Path workDir,
        int parallelism,
        Duration checkpointInterval,
        String topicPrefix,
        Path rulesFile,
        String groupId,
        String transactionalIdPrefix,
        Duration outOfOrderness,
        Duration idleness,
        Duration carrierIdleness,
        Path nationalKeyFile,
        String region,
        Path regionDirectoryFile,
        Duration exchangePresence,
        Duration exchangeValidity,
        String stateBackend,
        String timers,
        MemorySize managedMemory,
        PhoneSideSettings phoneSide,
        KafkaClientSettings kafka,
        Path overrideKeyFile,
        String metricsPorts) {

    /** The state backends the job can run on (Flink's {@code state.backend.type}). */
    public static final List<String> STATE_BACKENDS = List.of("rocksdb", "hashmap");

    /** Where RocksDB keeps event-time timers ({@code state.backend.rocksdb.timer-service.factory}). */
    public static final List<String> TIMER_STORES = List.of("heap", "rocksdb");

    public static final String USAGE = """
            usage: RiskJob --checkpoint-dir DIR (--secret-file FILE | --work-dir DIR) [options]
              --bootstrap-servers HOSTS        Kafka (default localhost:9092)
              --checkpoint-dir URI|DIR         where checkpoints go, as Flink takes it (s3://, hdfs://, file://;
                                               a path without a scheme is a local directory); without a recovery
                                               path (flink run -s) the job resumes from the newest retained one
              --override-key FILE              the serving process's override signing public key
                                               (<data-dir>/override-key/override-signing.pub): override events are
                                               accepted only signed with it; without it every override is refused
              --kafka-config FILE              Kafka client settings for every source and sink (SASL_SSL, SCRAM,
                                               mTLS: security.protocol, sasl.*, ssl.*); default plaintext
              --secret-file FILE               the region secret for pseudonyms
              --work-dir DIR                   or: a work directory holding (or getting) the development secret
              --parallelism N                  (default: the environment's)
              --checkpoint-interval DURATION   (default 1s; statuses become visible when a checkpoint completes)
              --topic-prefix STRING            prefix of every topic name (default none)
              --rules FILE                     rule set JSON (default: the built-in DESIGN defaults)
              --group-id ID                    consumer group (default healthcode-risk)
              --transactional-id-prefix ID     (default healthcode-risk)
              --out-of-orderness DURATION      watermark bound per partition (default 5s)
              --idleness DURATION              a partition quiet this long stops holding back time (default 5s)
              --carrier-idleness DURATION      the same for the carrier topic's partitions, which keep their own
                                               event time (contact detection's clock; a carrier feed a day late is
                                               on time there); default 60s
              --national-key-file FILE         the key shared by all regions for national pseudonyms (default:
                                               HEALTHCODE_NATIONAL_KEY, else a development key in --work-dir)
              --region CODE                    this region's GB/T 2260 code: turns on the automatic risk-person
                                               exchange (requests on <prefix>exchange-out); default off
              --region-directory FILE          'prefix region' lines for regions that are not provinces
                                               (default: the province of an area code is its region)
              --exchange-presence DURATION     a stay in another region counts this long after it ends (default 168h)
              --exchange-validity DURATION     a pushed record's expiry after it is decided (default 336h)
              --state-backend rocksdb|hashmap  keyed state on disk (RocksDB, incremental checkpoints) or on the
                                               JVM heap (full snapshots); default rocksdb
              --timers rocksdb|heap            with RocksDB: event-time timers in RocksDB (default; incremental
                                               checkpoints) or on the heap (written whole, synchronously, into
                                               every checkpoint: the cost grows with the city)
              --managed-memory SIZE|auto       local run: Flink managed memory of the job's task manager, which
                                               RocksDB uses for its block cache and write buffers (e.g. 2g); default
                                               auto = 40% of this JVM's maximum heap, at least 128m (on a Flink
                                               cluster the task managers' own taskmanager.memory.managed.* rule)
              --metrics-ports PORTS            local run: Flink's Prometheus reporter on these ports, one per
                                               process of the MiniCluster (e.g. 9249,9250; a cluster's reporter is
                                               in its own configuration, deploy/flink/config.yaml)
              --phone-cache N                  contact detection: phones whose state stays cached in heap, per
                                               parallel instance (default 1000000)
              --pings-in-heap N                pings waiting in heap for the police bindings' clock, per parallel
                                               instance, and in every checkpoint; the rest wait in keyed state, one
                                               RocksDB write and read each (default 1000000)
              --quiet-barriers N               checkpoints a changed phone must stay unchanged before it is written
                                               back to keyed state; until then checkpoints carry it (default 1; 0 =
                                               at every checkpoint). These three size memory, never change results
              --open-stay-progress DURATION    how much a stay still open grows between two reports of it to the
                                               cells (after the first, once longer than the companion overlap);
                                               sooner companions for more stays downstream (default 1h; 0 = only
                                               when the carrier feed goes idle). Never changes results
            """;

    private static final Set<String> OPTIONS = Set.of(
            "--bootstrap-servers",
            "--checkpoint-dir",
            "--secret-file",
            "--work-dir",
            "--parallelism",
            "--checkpoint-interval",
            "--topic-prefix",
            "--rules",
            "--group-id",
            "--transactional-id-prefix",
            "--out-of-orderness",
            "--idleness",
            "--carrier-idleness",
            "--national-key-file",
            "--region",
            "--region-directory",
            "--exchange-presence",
            "--exchange-validity",
            "--state-backend",
            "--timers",
            "--managed-memory",
            "--phone-cache",
            "--pings-in-heap",
            "--quiet-barriers",
            "--open-stay-progress",
            KafkaClientSettings.OPTION,
            "--override-key",
            "--metrics-ports");

    private static long openStayProgress(Args a, List<String> problems) {
        Duration d = a.duration(
                "--open-stay-progress", Duration.ofMillis(PhoneSideSettings.DEFAULTS.openStayProgressMillis()));
        if (d.isNegative()) {
            problems.add("--open-stay-progress: must not be negative: " + d);
            return PhoneSideSettings.DEFAULTS.openStayProgressMillis();
        }
        return d.toMillis();
    }

    /** Parses and validates; throws {@link IllegalArgumentException} listing every problem. */
    public static RiskJobConfig parse(String[] argv) {
        List<String> problems = new ArrayList<>();
        Args a = Args.parse(argv, OPTIONS, Set.of(), problems);
        String checkpointDir = a.required("--checkpoint-dir");
        String secret = a.string("--secret-file", null);
        String work = a.string("--work-dir", null);
        if (secret == null && work == null) {
            problems.add("--secret-file or --work-dir: one is required (the region secret for pseudonyms)");
        }
        String rules = a.string("--rules", null);
        if (rules != null && !Files.isRegularFile(Path.of(rules))) {
            problems.add("--rules: no such file: " + rules);
        }
        String nationalKey = a.string("--national-key-file", null);
        if (nationalKey != null && !Files.isRegularFile(Path.of(nationalKey))) {
            problems.add("--national-key-file: no such file: " + nationalKey);
        }
        String region = a.string("--region", null);
        if (region != null && !region.matches("\\d{6}")) {
            problems.add("--region: must be a six-digit GB/T 2260 code, got '" + region + "'");
        }
        String directory = a.string("--region-directory", null);
        if (directory != null && !Files.isRegularFile(Path.of(directory))) {
            problems.add("--region-directory: no such file: " + directory);
        }
        if (directory != null && region == null) {
            problems.add("--region-directory: needs --region (the exchange is off without it)");
        }
        String backend = a.string("--state-backend", "rocksdb");
        if (!STATE_BACKENDS.contains(backend)) {
            problems.add("--state-backend: must be one of " + STATE_BACKENDS + ", not " + backend);
        }
        String timers = a.string("--timers", "rocksdb");
        if (!TIMER_STORES.contains(timers)) {
            problems.add("--timers: must be one of " + TIMER_STORES + ", not " + timers);
        }
        MemorySize managed = managedMemory(a.string("--managed-memory", "auto"), problems);
        String overrideKey = a.string("--override-key", null);
        if (overrideKey != null && !Files.isRegularFile(Path.of(overrideKey))) {
            problems.add("--override-key: no such file: " + overrideKey);
        }
        KafkaClientSettings kafka = KafkaClientSettings.NONE;
        String kafkaConfig = a.string(KafkaClientSettings.OPTION, null);
        if (kafkaConfig != null) {
            try {
                kafka = KafkaClientSettings.load(Path.of(kafkaConfig));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(KafkaClientSettings.OPTION + ": cannot use " + kafkaConfig + ": " + e.getMessage());
            }
        }
        RiskJobConfig c = new RiskJobConfig(
                a.string("--bootstrap-servers", "localhost:9092"),
                checkpointDir == null ? null : checkpointUri(checkpointDir),
                secret == null ? null : Path.of(secret),
                work == null ? null : Path.of(work),
                a.positiveInt("--parallelism", -1),
                a.duration("--checkpoint-interval", Duration.ofSeconds(1)),
                a.string("--topic-prefix", ""),
                rules == null ? null : Path.of(rules),
                a.string("--group-id", "healthcode-risk"),
                a.string("--transactional-id-prefix", "healthcode-risk"),
                a.duration("--out-of-orderness", Duration.ofSeconds(5)),
                a.duration("--idleness", Duration.ofSeconds(5)),
                a.duration("--carrier-idleness", Duration.ofSeconds(60)),
                nationalKey == null ? null : Path.of(nationalKey),
                region,
                directory == null ? null : Path.of(directory),
                a.duration("--exchange-presence", org.healthcode.risk.crossregion.ExchangeSettings.DEFAULT_PRESENCE),
                a.duration("--exchange-validity", org.healthcode.risk.crossregion.ExchangeSettings.DEFAULT_VALIDITY),
                backend,
                timers,
                managed,
                new PhoneSideSettings(
                        a.positiveInt("--phone-cache", PhoneSideSettings.DEFAULTS.phoneCache()),
                        a.nonNegativeInt("--quiet-barriers", PhoneSideSettings.DEFAULTS.quietBarriers()),
                        a.nonNegativeInt("--pings-in-heap", PhoneSideSettings.DEFAULTS.pingsInHeap()),
                        openStayProgress(a, problems)),
                kafka,
                overrideKey == null ? null : Path.of(overrideKey),
                a.string("--metrics-ports", null));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return c;
    }

    /** Share of the JVM's maximum heap given to Flink managed memory (RocksDB) by {@code --managed-memory auto}. */
    public static final double AUTO_MANAGED_FRACTION_OF_HEAP = 0.4;

    /** Flink's own default managed memory of a local run, and the least {@code auto} gives. */
    public static final MemorySize LOCAL_DEFAULT_MANAGED = MemorySize.parse("128m");

    /**
     * {@code auto}: 40% of this JVM's maximum heap, at least Flink's local default of 128 MB. That default is shared
     * by every RocksDB instance of the task manager (block cache and write buffers of all slots); a city of 100 k
     * persons already holds more state than that, and reads then go to files instead of the cache.
     */
    public static MemorySize autoManagedMemory() {
        return managedMemory("auto", new ArrayList<>());
    }

    /** {@code --managed-memory}: {@code auto} (see {@link #autoManagedMemory}) or a size of at least 16m. */
    public static MemorySize managedMemory(String value, List<String> problems) {
        if (value.equals("auto")) {
            long bytes = (long) (Runtime.getRuntime().maxMemory() * AUTO_MANAGED_FRACTION_OF_HEAP);
            return new MemorySize(Math.max(bytes, LOCAL_DEFAULT_MANAGED.getBytes()));
        }
        try {
            MemorySize m = MemorySize.parse(value);
            if (m.getBytes() < MemorySize.parse("16m").getBytes()) {
                problems.add("--managed-memory: must be at least 16m, got " + value);
            }
            return m;
        } catch (IllegalArgumentException e) {
            problems.add("--managed-memory: must be a size such as 512m or 2g, or auto, got '" + value + "'");
            return LOCAL_DEFAULT_MANAGED;
        }
    }

    /**
     * {@code --checkpoint-dir} as Flink takes it: a URI with a scheme ({@code s3://}, {@code hdfs://},
     * {@code file://}) exactly as given, so a cluster's checkpoints land on the shared filesystem; a path without a
     * scheme is a directory of the machine that starts the job (a local run), made absolute.
     */
    public static String checkpointUri(String given) {
        if (given.matches("[A-Za-z][A-Za-z0-9+.-]*:/.*")) {
            return given;
        }
        return Path.of(given).toAbsolutePath().normalize().toUri().toString();
    }

    public String topic(String name) {
        return topicPrefix + name;
    }

    /** The automatic exchange's settings, or null when {@code --region} is not given. */
    public org.healthcode.risk.crossregion.ExchangeSettings exchange() throws IOException {
        if (region == null) {
            return null;
        }
        var directory = regionDirectoryFile == null
                ? org.healthcode.risk.crossregion.RegionDirectory.provinces()
                : org.healthcode.risk.crossregion.RegionDirectory.read(regionDirectoryFile);
        return new org.healthcode.risk.crossregion.ExchangeSettings(
                region, directory, exchangePresence.toMillis(), exchangeValidity.toMillis());
    }

    public RuleSet ruleSet() throws IOException {
        return rulesFile == null ? RuleSet.defaults() : RuleSetJson.parse(Files.readAllBytes(rulesFile));
    }

    /**
     * Flink settings of the job: the state backend (RocksDB with incremental checkpoints by default) and checkpoints
     * in {@code checkpointDir} retained on cancellation. Where to recover from is not among them: {@link
     * RecoveryPath} decides that against what the job was submitted with.
     */
    public Configuration flinkConfiguration() {
        Configuration conf = checkpointing(checkpointDir, checkpointInterval, stateBackend);
        // a local MiniCluster's task manager takes this; a cluster's task managers have their own
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managedMemory);
        if (stateBackend.equals("rocksdb")) {
            conf.set(
                    RocksDBOptions.TIMER_SERVICE_FACTORY,
                    timers.equals("heap")
                            ? EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP
                            : EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        }
        if (parallelism > 0) {
            conf.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, parallelism);
        }
        if (metricsPorts != null) {
            conf.setString(
                    "metrics.reporter.prom.factory.class",
                    "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", metricsPorts);
        }
        return conf;
    }

    /** The state and checkpoint settings shared by the live job and its tests, on RocksDB. */
    public static Configuration checkpointing(Path dir, Duration interval) {
        return checkpointing(dir.toUri().toString(), interval, "rocksdb");
    }

    /** As {@link #checkpointing(Path, Duration)}, with the checkpoint directory as a URI. */
    public static Configuration checkpointing(String dirUri, Duration interval) {
        return checkpointing(dirUri, interval, "rocksdb");
    }

    /** As {@link #checkpointing(String, Duration, String)} in a local directory. */
    public static Configuration checkpointing(Path dir, Duration interval, String backend) {
        return checkpointing(dir.toUri().toString(), interval, backend);
    }

    /**
     * The state, checkpoint and runtime settings on {@code backend}: {@code rocksdb} (incremental checkpoints) or
     * {@code hashmap} (state on the heap, each checkpoint a full snapshot; incremental has no effect there).
     *
     * <p>Object reuse: every record and state type of the job is an immutable Java record (checked by
     * {@code SerializationTest}) and no operator mutates its input, so chained operators may share one instance
     * instead of a deep copy per downstream operator (the deduplicated event stream feeds ten chained filters).
     * Bloom filters: most state reads of the duplicate filter, and of a new phone's or person's state, miss; with a
     * checkpoint every second RocksDB holds many small files, and a filter answers a miss without reading them.
     * Native metrics: RocksDB's estimate of its live data and the size of its live SST files, per column family (the
     * state's name as a label), so an operator sees what each state costs.
     * Timers: in RocksDB. Flink writes heap timers of a RocksDB backend synchronously into every checkpoint, in the
     * task thread ({@code RocksDBKeyedStateBackend.requiresLegacySynchronousTimerSnapshots}); with a checkpoint every
     * second and timers per person (clean-ups, pending inputs) that was 38-63% of the job's samples at 100 k persons.
     * The live job's {@code --timers heap} puts them back on the heap.
     */
    public static Configuration checkpointing(String dirUri, Duration interval, String backend) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        if (backend.equals("rocksdb")) {
            conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
            // state size by state name (column family), read from RocksDB's properties at each metrics report
            conf.set(RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE, true);
            conf.set(RocksDBNativeMetricOptions.MONITOR_LIVE_SST_FILES_SIZE, true);
            conf.set(RocksDBNativeMetricOptions.COLUMN_FAMILY_AS_VARIABLE, true);
            conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        }
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, backend.equals("rocksdb"));
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dirUri);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(200));
        return conf;
    }
}
