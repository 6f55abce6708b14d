package org.healthcode.risk.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/**
 * What {@code ReplayJob} is told on its command line, validated at start with every problem reported at once.
 *
 * @param events the archive: a JSON Lines file (plain, or gzip when its name ends in {@code .gz}) or a directory of
 *               them (daily files, read in name order); null when the archive is a Kafka cluster's feed topics
 * @param rulesFile rule set JSON, or null for the built-in defaults
 * @param at statuses are given as of this instant; null = the latest event time in the input
 * @param out output directory
 * @param secretFile region secret for pseudonyms of {@code idNumber} lines, or null
 * @param workDir where the development secret lives (default {@code .healthcode/demo}, as for the demo)
 * @param parallelism job parallelism, or -1 for the environment's
 * @param mode where the job keeps its keyed state: the JVM heap (fast) or RocksDB (as the live job)
 * @param kafka the feed topics of a Kafka cluster between two positions, instead of {@code events}; or null
 * @param progress print a progress line (events read, event time reached, ETA) to stderr while it runs
 * @param overrideKeyFile the serving process's override signing public key, or null: override events are refused
 */
public record ReplayConfig(
        Path events,
        Path rulesFile,
        Instant at,
        Path out,
        Path secretFile,
        Path workDir,
        int parallelism,
        Mode mode,
        KafkaArchive kafka,
        boolean progress,
        Path overrideKeyFile) {

    /** How the replay runs; both give the same files. */
    public enum Mode {
        /** Keyed state and timers on the JVM heap (Flink's hashmap backend): fastest, bounded by the heap. */
        FAST,
        /** As the live job runs: keyed state and timers in RocksDB on local disk (state larger than the heap). */
        STREAMING
    }

    /**
     * The feed topics of a Kafka cluster as an archive.
     *
     * @param bootstrapServers the cluster
     * @param topicPrefix prefix of the feed topics' names, or empty
     * @param from {@code earliest}, an ISO-8601 time (the first record whose Kafka timestamp is at or after it) or
     *             an offset (the same in every partition)
     * @param to {@code latest}, an ISO-8601 time (records before it) or an offset (records before it)
     * @param client the client settings of {@code --kafka-config} (security), or {@link KafkaClientSettings#NONE}
     */
    public record KafkaArchive(
            String bootstrapServers, String topicPrefix, String from, String to, KafkaClientSettings client) {

        /** A plaintext cluster. */
        public KafkaArchive(String bootstrapServers, String topicPrefix, String from, String to) {
            this(bootstrapServers, topicPrefix, from, to, KafkaClientSettings.NONE);
        }
    }

    /** A file or directory archive, fast mode, no progress line, no override key (override events refused). */
    public ReplayConfig(
            Path events, Path rulesFile, Instant at, Path out, Path secretFile, Path workDir, int parallelism) {
        this(events, rulesFile, at, out, secretFile, workDir, parallelism, Mode.FAST, null, false, null);
    }

    /** As the canonical constructor, without an override key (override events refused). */
    public ReplayConfig(
            Path events,
            Path rulesFile,
            Instant at,
            Path out,
            Path secretFile,
            Path workDir,
            int parallelism,
            Mode mode,
            KafkaArchive kafka,
            boolean progress) {
        this(events, rulesFile, at, out, secretFile, workDir, parallelism, mode, kafka, progress, null);
    }

    /** The same replay in another mode. */
    public ReplayConfig withMode(Mode m) {
        return new ReplayConfig(
                events, rulesFile, at, out, secretFile, workDir, parallelism, m, kafka, progress, overrideKeyFile);
    }

    /** The same replay with other rules into another directory. */
    public ReplayConfig withRules(Path rules, Path outDir) {
        return new ReplayConfig(
                events, rules, at, outDir, secretFile, workDir, parallelism, mode, kafka, progress, overrideKeyFile);
    }

    public static final String USAGE = """
            usage: ReplayJob (--events FILE|DIR | --bootstrap-servers HOST:PORT [--from POS] [--to POS])
                             [--rules FILE] [--at TIME] --out DIR [options]
              --events FILE|DIR  JSON Lines archive, any line order: a file (gzip when it ends in .gz) or a
                                 directory of them (e.g. daily files; read in name order, lines numbered across them)
              --bootstrap-servers HOST:PORT  instead of --events: the Protobuf feed topics of a Kafka cluster
              --from POS, --to POS  with --bootstrap-servers: earliest|latest, an ISO-8601 time (Kafka record
                                 timestamps) or an offset in every partition (default earliest, latest)
              --topic-prefix P   prefix of the feed topics (default none)
              --kafka-config FILE  with --bootstrap-servers: Kafka client settings (SASL_SSL, SCRAM, mTLS)
              --rules FILE       rule set JSON (default: the built-in DESIGN defaults)
              --at TIME          statuses as of this time, ISO-8601 (default: the latest event time in the input)
              --out DIR          writes changelog.jsonl, statuses.jsonl, rejected.jsonl, audit.jsonl,
                                 vehicle-cases.jsonl
              --secret-file FILE region secret for idNumber pseudonyms (else HEALTHCODE_REGION_SECRET,
              --work-dir DIR     else the development secret under DIR, default .healthcode/demo)
              --parallelism N
              --mode fast|streaming  fast (default): keyed state on the heap; streaming: as the live job runs,
                                 state in RocksDB (for archives whose state outgrows the heap); same files either way
              --quiet            no progress line
              --override-key FILE  the serving process's override signing public key: override events are
                                 accepted only signed with it (without it every override is refused)
            """;

    private static final Set<String> OPTIONS = Set.of(
            "--events",
            "--rules",
            "--at",
            "--out",
            "--secret-file",
            "--work-dir",
            "--parallelism",
            "--mode",
            "--bootstrap-servers",
            "--from",
            "--to",
            "--topic-prefix",
            "--override-key",
            KafkaClientSettings.OPTION);

    public static ReplayConfig parse(String[] argv) {
        List<String> problems = new ArrayList<>();
        Args a = Args.parse(argv, OPTIONS, Set.of("--quiet"), problems);
        String events = a.string("--events", null);
        String bootstrap = a.string("--bootstrap-servers", null);
        if ((events == null) == (bootstrap == null)) {
            problems.add("--events: give exactly one of --events FILE|DIR and --bootstrap-servers HOST:PORT");
        }
        if (events != null && !Files.isRegularFile(Path.of(events)) && !Files.isDirectory(Path.of(events))) {
            problems.add("--events: no such file or directory: " + events);
        }
        KafkaClientSettings client = KafkaClientSettings.NONE;
        String kafkaConfig = a.string(KafkaClientSettings.OPTION, null);
        if (kafkaConfig != null) {
            try {
                client = KafkaClientSettings.load(Path.of(kafkaConfig));
            } catch (java.io.IOException | IllegalArgumentException e) {
                problems.add(KafkaClientSettings.OPTION + ": cannot use " + kafkaConfig + ": " + e.getMessage());
            }
        }
        if (bootstrap == null && (a.string("--from", null) != null || a.string("--to", null) != null)) {
            problems.add("--from/--to: only with --bootstrap-servers");
        }
        String from = a.string("--from", "earliest");
        String to = a.string("--to", "latest");
        checkPosition("--from", from, "earliest", problems);
        checkPosition("--to", to, "latest", problems);
        String rules = a.string("--rules", null);
        if (rules != null && !Files.isRegularFile(Path.of(rules))) {
            problems.add("--rules: no such file: " + rules);
        }
        String out = a.required("--out");
        Instant at = null;
        String atText = a.string("--at", null);
        if (atText != null) {
            try {
                at = parseTime(atText);
            } catch (RuntimeException e) {
                problems.add("--at: not an ISO-8601 time with offset (e.g. 2022-04-10T12:00:00+08:00): " + atText);
            }
        }
        String secret = a.string("--secret-file", null);
        String modeText = a.string("--mode", "fast");
        Mode mode = switch (modeText) {
            case "fast" -> Mode.FAST;
            case "streaming" -> Mode.STREAMING;
            default -> {
                problems.add("--mode: fast or streaming, not " + modeText);
                yield Mode.FAST;
            }
        };
        ReplayConfig c = new ReplayConfig(
                events == null ? null : Path.of(events).toAbsolutePath(),
                rules == null ? null : Path.of(rules),
                at,
                out == null ? null : Path.of(out),
                secret == null ? null : Path.of(secret),
                Path.of(a.string("--work-dir", ".healthcode/demo")),
                a.positiveInt("--parallelism", -1),
                mode,
                bootstrap == null
                        ? null
                        : new KafkaArchive(bootstrap, a.string("--topic-prefix", ""), from, to, client),
                !a.flag("--quiet"),
                a.string("--override-key", null) == null ? null : Path.of(a.string("--override-key", null)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return c;
    }

    /** An ISO-8601 time with an offset or Z. */
    public static Instant parseTime(String text) {
        return text.endsWith("Z")
                ? Instant.parse(text)
                : OffsetDateTime.parse(text).toInstant();
    }

    private static void checkPosition(String option, String value, String end, List<String> problems) {
        if (value.equals(end) || value.matches("\\d+")) {
            return;
        }
        try {
            parseTime(value);
        } catch (RuntimeException e) {
            problems.add(option + ": " + end + ", an ISO-8601 time with offset or an offset number, not " + value);
        }
    }
}
