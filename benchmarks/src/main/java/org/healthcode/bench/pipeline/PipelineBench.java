package org.healthcode.bench.pipeline;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until this benchmark lands. */
@Command(name = "pipeline", description = "not built yet")
public final class PipelineBench implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("not built yet");
        return 1;
    }
}
