package org.healthcode.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./healthcode demo}: the whole engine on this machine, on its embedded defaults. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Starts a Kafka broker (KRaft), the risk job (local MiniCluster, RocksDB state), the lookup "
                + "service and a synthetic city, and shows progress until Ctrl-C.")
public final class DemoMain implements Callable<Integer> {

    @Option(names = "--project-root", hidden = true, required = true)
    Path projectRoot;

    @Option(
            names = "--work-dir",
            description = "Where broker data, job checkpoints and the status view live "
                    + "(default: <project>/.healthcode/demo).")
    Path workDir;

    @Option(names = "--fresh", description = "Delete the work directory first and start over.")
    boolean fresh;

    @Option(names = "--bootstrap-servers", description = "Use this Kafka instead of starting a broker.")
    String bootstrapServers;

    @Option(
            names = "--kafka-config",
            description = "With --bootstrap-servers: Kafka client settings (SASL_SSL, "
                    + "SCRAM, mTLS) for every process. The embedded broker speaks plaintext on 127.0.0.1 only.")
    Path kafkaConfig;

    @Option(
            names = "--kafka-port",
            defaultValue = "19092",
            description = "Port of the embedded broker (default: ${DEFAULT-VALUE}; a free one if taken).")
    int kafkaPort;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            description = "Port of the lookup service (default: ${DEFAULT-VALUE}; a free one if taken).")
    int httpPort;

    @Option(
            names = "--persons",
            defaultValue = "10000",
            description = "Synthetic city size (default: ${DEFAULT-VALUE}).")
    int persons;

    @Option(names = "--days", defaultValue = "14", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "City seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--speed",
            defaultValue = "3600",
            description = "Simulated seconds per real second (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(
            names = "--bad-rate",
            defaultValue = "0.001",
            description = "Share of deliberately malformed records (default: ${DEFAULT-VALUE}).")
    double badRate;

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? workDir : projectRoot.resolve(".healthcode/demo");
        DemoSettings settings = new DemoSettings(
                projectRoot.toAbsolutePath().normalize(),
                dir.toAbsolutePath().normalize(),
                fresh,
                bootstrapServers,
                kafkaPort,
                httpPort,
                persons,
                days,
                seed,
                speed,
                badRate,
                kafkaConfig == null ? null : kafkaConfig.toAbsolutePath());
        try (Demo demo = new Demo(settings, System.out)) {
            demo.start();
            demo.runUntilInterrupted();
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }
}
