package org.healthcode.risk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.RiskJob;
import org.healthcode.risk.contacts.PhoneSideSettings;
import org.healthcode.risk.contacts.PhoneStayBuilder;
import org.healthcode.risk.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RiskJobConfigTest {
    @TempDir
    Path dir;

    private RiskJobConfig parse(String... extra) {
        String[] base = {"--checkpoint-dir", dir.resolve("cp").toString(), "--work-dir", dir.toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return RiskJobConfig.parse(all);
    }

    @Test
    void checkpointDirectoryUrisReachFlinkAsGiven() {
        for (String uri : List.of(
                "s3://bucket/healthcode/checkpoints",
                "hdfs://namenode:8020/flink/checkpoints",
                "file:///shared/checkpoints",
                "gs://bucket/cp")) {
            RiskJobConfig cfg =
                    RiskJobConfig.parse(new String[] {"--checkpoint-dir", uri, "--work-dir", dir.toString()});
            assertThat(cfg.checkpointDir()).isEqualTo(uri);
            assertThat(cfg.flinkConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                    .isEqualTo(uri);
        }
    }

    @Test
    void aPathWithoutSchemeIsALocalDirectoryMadeAbsolute() {
        RiskJobConfig cfg =
                RiskJobConfig.parse(new String[] {"--checkpoint-dir", "data/cp", "--work-dir", dir.toString()});
        assertThat(cfg.flinkConfiguration().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(Path.of("data/cp").toAbsolutePath().toUri().toString());
    }

    @Test
    void theJobsConfigurationNeverSetsARecoveryPathItself() throws Exception {
        Path chk = dir.resolve("cp").resolve("job").resolve("chk-1");
        java.nio.file.Files.createDirectories(chk);
        java.nio.file.Files.write(chk.resolve("_metadata"), new byte[] {1});
        // RecoveryPath decides, after looking at what the job was submitted with (flink run -s)
        assertThat(parse().flinkConfiguration()
                        .getOptional(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH))
                .isEmpty();
    }

    @Test
    void rocksDbWithIncrementalCheckpointsByDefault() throws Exception {
        Configuration conf = parse().flinkConfiguration();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }

    @Test
    void hashmapBackendKeepsStateOnTheHeapWithFullSnapshots() throws Exception {
        Configuration conf = parse("--state-backend", "hashmap").flinkConfiguration();
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }

    @Test
    void timersInRocksDbUnlessAskedForTheHeap() throws Exception {
        assertThat(parse().flinkConfiguration().get(RocksDBOptions.TIMER_SERVICE_FACTORY))
                .isEqualTo(EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        assertThat(parse("--timers", "heap").flinkConfiguration().get(RocksDBOptions.TIMER_SERVICE_FACTORY))
                .isEqualTo(EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
    }

    @Test
    void chainedOperatorsShareRecordsInsteadOfCopyingThem() throws Exception {
        assertThat(parse().flinkConfiguration().get(PipelineOptions.OBJECT_REUSE))
                .isTrue();
        assertThat(parse("--state-backend", "hashmap").flinkConfiguration().get(PipelineOptions.OBJECT_REUSE))
                .isTrue();
    }

    @Test
    void unknownStateBackendIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--state-backend", "forst"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--state-backend: must be one of [rocksdb, hashmap], not forst");
    }

    @Test
    void managedMemoryForRocksDbIsAShareOfTheHeapUnlessGiven() throws Exception {
        long auto = parse().flinkConfiguration()
                .get(TaskManagerOptions.MANAGED_MEMORY_SIZE)
                .getBytes();
        assertThat(auto).isEqualTo(Math.max(128L << 20, (long)
                (Runtime.getRuntime().maxMemory() * RiskJobConfig.AUTO_MANAGED_FRACTION_OF_HEAP)));
        assertThat(parse("--managed-memory", "2g").flinkConfiguration().get(TaskManagerOptions.MANAGED_MEMORY_SIZE))
                .isEqualTo(MemorySize.parse("2g"));
    }

    @Test
    void aManagedMemoryThatIsNotASizeIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--managed-memory", "lots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--managed-memory: must be a size such as 512m or 2g, or auto, got 'lots'");
        assertThatThrownBy(() -> parse("--managed-memory", "1k"))
                .hasMessageContaining("--managed-memory: must be at least 16m");
    }

    @Test
    void thePhoneSideKeepsItsDefaultSizesUnlessGiven() {
        assertThat(parse().phoneSide()).isEqualTo(PhoneSideSettings.DEFAULTS);
        assertThat(parse("--phone-cache", "5", "--pings-in-heap", "0", "--quiet-barriers", "3")
                        .phoneSide())
                .isEqualTo(new PhoneSideSettings(5, 3, 0));
        assertThat(parse("--open-stay-progress", "30m").phoneSide().openStayProgressMillis())
                .isEqualTo(1_800_000L);
        assertThat(parse("--open-stay-progress", "0").phoneSide().openStayProgressMillis())
                .isZero();
    }

    @Test
    void phoneSideSizesOutOfRangeAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse(
                        "--phone-cache",
                        "0",
                        "--pings-in-heap",
                        "-1",
                        "--quiet-barriers",
                        "x",
                        "--open-stay-progress",
                        "-5m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--open-stay-progress: must not be negative")
                .hasMessageContaining("--phone-cache: must be a positive whole number, got 0")
                .hasMessageContaining("--pings-in-heap: must be a whole number, 0 or more, got -1")
                .hasMessageContaining("--quiet-barriers: must be a whole number, 0 or more, got x");
    }

    @Test
    void theJobBuildsItsPhoneSideWithTheSizesGiven() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        RiskJob.define(
                env,
                parse("--phone-cache", "7", "--pings-in-heap", "11", "--quiet-barriers", "0"),
                RuleSet.defaults(),
                new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(new byte[32]))));
        List<PhoneSideSettings> phoneSides = env.getStreamGraph().getStreamNodes().stream()
                .filter(n -> n.getOperatorFactory() instanceof SimpleOperatorFactory<?> f
                        && f.getOperator() instanceof PhoneStayBuilder)
                .map(n -> ((PhoneStayBuilder) ((SimpleOperatorFactory<?>) n.getOperatorFactory()).getOperator())
                        .settings())
                .toList();
        assertThat(phoneSides).containsExactly(new PhoneSideSettings(7, 0, 11));
    }
}
