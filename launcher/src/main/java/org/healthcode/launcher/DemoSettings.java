package org.healthcode.launcher;

import java.nio.file.Path;

/** The settings of one demo run; see {@link DemoMain} for their meaning and defaults. */
public record DemoSettings(
        Path projectRoot,
        Path workDir,
        boolean fresh,
        String bootstrapServers,
        int kafkaPort,
        int httpPort,
        int persons,
        int days,
        long seed,
        double speed,
        double badRate,
        Path kafkaConfig) {

    /** Without a Kafka client settings file: plaintext, as the embedded broker on loopback speaks. */
    public DemoSettings(
            Path projectRoot,
            Path workDir,
            boolean fresh,
            String bootstrapServers,
            int kafkaPort,
            int httpPort,
            int persons,
            int days,
            long seed,
            double speed,
            double badRate) {
        this(
                projectRoot,
                workDir,
                fresh,
                bootstrapServers,
                kafkaPort,
                httpPort,
                persons,
                days,
                seed,
                speed,
                badRate,
                null);
    }
}
