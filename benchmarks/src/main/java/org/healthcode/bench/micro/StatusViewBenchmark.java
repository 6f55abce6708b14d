package org.healthcode.bench.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.TopicPartition;
import org.healthcode.bench.lookups.StatusFill;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.store.StatusView;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The serving view's point lookup (interop's RocksDB {@link StatusView}), without HTTP: raw bytes, and parsed into a
 * StatusRecord. The view holds {@code persons} statuses written through {@link StatusView#apply}, as the consumer
 * writes them; lookups pick persons uniformly.
 */
@State(Scope.Benchmark)
public class StatusViewBenchmark {
    @Param("1000000")
    public int persons;

    private Path dir;
    private StatusView view;
    private String[] ids;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("statusview-bench");
        view = StatusView.open(dir);
        ids = StatusFill.personIds(persons);
        TopicPartition tp = new TopicPartition("status", 0);
        List<StatusView.Change> batch = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            batch.add(new StatusView.Change(ids[i], StatusFill.record(ids[i], i).toByteArray()));
            if (batch.size() == 10_000 || i == ids.length - 1) {
                view.apply(batch, Map.of(tp, (long) i + 1));
                batch.clear();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        view.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public byte[] getBytes() throws Exception {
        return view.getBytes(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }

    @Benchmark
    public Optional<StatusRecord> getParsed() throws Exception {
        return view.get(ids[ThreadLocalRandom.current().nextInt(ids.length)]);
    }
}
