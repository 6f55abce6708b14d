package org.healthcode.bench.micro;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until this benchmark lands. */
@Command(name = "jmh", description = "not built yet")
public final class JmhBench implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("not built yet");
        return 1;
    }
}
