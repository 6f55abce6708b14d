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
        double badRate) {}
