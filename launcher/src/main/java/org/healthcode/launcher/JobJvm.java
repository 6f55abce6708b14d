package org.healthcode.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JVM options for the process that runs the risk job (the demo's job, the benchmarks' jobs; {@code ./healthcode job}
 * and {@code replay} set the same in the shell script; on a Flink cluster, put them in
 * {@code env.java.opts.taskmanager}).
 *
 * <p>Garbage collection: G1 with concurrent refinement deferred to the collection pauses. The phone side keeps a
 * million phones' state in the old generation and replaces it at each ping, so every ping writes a reference into an
 * old object, and G1's refinement threads chased those cards all the time: in the 1 M-phone city day (48 M pings,
 * 10 s checkpoints) they took 48-55 CPU-s of 316-337, and concurrent marking 35 more. With refinement left to the
 * pauses (the cards are scanned once per young collection instead of as they are dirtied) the same run took
 * 257 CPU-s instead of 316-337, with pauses of at most 0.7 s; the parallel collector took 241-244 CPU-s but paused
 * up to 2.2 s in full collections every ten seconds (docs/contacts.md, "The job's JVM").
 *
 * <p>These flags exist up to JDK 19; JDK 20 replaced concurrent refinement's controller (and deprecated them), so
 * from there on nothing is added.
 */
public final class JobJvm {
    private JobJvm() {}

    /**
     * G1 with concurrent refinement deferred to the pauses (green, yellow, red zones out of reach), up to JDK 19: one
     * option per line of the resource {@code job-gc-options}, which {@code ./healthcode} reads too.
     */
    static final List<String> DEFERRED_REFINEMENT = readOptions("job-gc-options");

    /** The garbage collection options for a job JVM running on Java {@code feature}. */
    public static List<String> gcOptions(int feature) {
        return feature < 20 ? DEFERRED_REFINEMENT : List.of();
    }

    /** The garbage collection options for a job JVM running on this Java (children use the same binary). */
    public static List<String> gcOptions() {
        return gcOptions(Runtime.version().feature());
    }

    /** A job JVM's options: {@code first} (the heap), then {@link #gcOptions()}, then {@code extra}. */
    public static List<String> jvmOptions(List<String> first, List<String> extra) {
        List<String> options = new ArrayList<>(first);
        options.addAll(gcOptions());
        options.addAll(extra);
        return List.copyOf(options);
    }

    private static List<String> readOptions(String resource) {
        try (InputStream in = JobJvm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing beside " + JobJvm.class);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }
}
