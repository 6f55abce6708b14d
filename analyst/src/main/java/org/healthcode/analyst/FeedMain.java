package org.healthcode.analyst;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.healthcode.analyst.feed.EventProtos;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.RejectedRecords;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.risk.sources.ArchiveFiles;

/**
 * {@code ./healthcode feed}: writes a JSON Lines archive into the feed topics (for a rebuild, a drill or a test).
 * Every line goes through ingest's decoder first, as the job decodes a live record: a line it rejects goes to the
 * {@code rejected} topic with the reason naming the field (Kafka headers, ingest's format) and nothing else; an
 * accepted line goes to its feed's topic as the Protobuf event the authority sends (key = eventId), raw ids
 * included, which the job pseudonymises at decode exactly as it does live records.
 */
public final class FeedMain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = """
            usage: ./healthcode feed --events ARCHIVE --bootstrap-servers HOST:PORT [--topic-prefix P]
              --events FILE|DIR  JSON Lines archive: a file (gzip when it ends in .gz) or a directory of daily files
            """;

    private FeedMain() {}

    /** What was written. */
    public record Summary(long events, long rejected) {}

    public static void main(String[] args) throws Exception {
        if (org.healthcode.risk.config.Args.helpRequested(args)) {
            System.out.print(USAGE);
            return;
        }
        String events = null;
        String bootstrap = null;
        String prefix = "";
        List<String> problems = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = args[i + 1];
                case "--bootstrap-servers" -> bootstrap = args[i + 1];
                case "--topic-prefix" -> prefix = args[i + 1];
                default -> problems.add(args[i] + ": unknown option");
            }
        }
        if (args.length % 2 != 0) {
            problems.add(args[args.length - 1] + ": missing value");
        }
        if (events == null || !Files.exists(Path.of(events))) {
            problems.add("--events: required, an existing file or directory");
        }
        if (bootstrap == null) {
            problems.add("--bootstrap-servers: required");
        }
        if (!problems.isEmpty()) {
            System.err.println(String.join("\n", problems));
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(FeedProducer.properties(bootstrap))) {
            Summary s = write(ArchiveFiles.scan(Path.of(events)), producer, prefix);
            System.out.println("FEED DONE " + s.events() + " events to the feed topics, " + s.rejected()
                    + " rejected lines to " + prefix + "rejected");
        }
    }

    /** Validates and sends every line of the archive, in file and line order; flushes before it returns. */
    public static Summary write(ArchiveFiles archive, Producer<byte[], byte[]> producer, String topicPrefix)
            throws Exception {
        // the pseudonyms of this decoder are thrown away (the job makes its own): any secret validates the same
        byte[] throwaway = new byte[32];
        new SecureRandom().nextBytes(throwaway);
        StandardEventDecoder decoder = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(throwaway)));
        FeedProducer feeds = new FeedProducer(producer, topicPrefix);
        long events = 0;
        long rejected = 0;
        for (int i = 0; i < archive.files().size(); i++) {
            long line = archive.lineOffsets().get(i);
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(ArchiveFiles.open(archive.files().get(i)), StandardCharsets.UTF_8),
                    1 << 16)) {
                String text;
                while ((text = r.readLine()) != null) {
                    line++;
                    if (text.isBlank()) {
                        continue;
                    }
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    Decoded d = decoder.decodeJsonLine(bytes, line);
                    if (!d.isOk()) {
                        producer.send(RejectedRecords.toProducerRecord(topicPrefix + "rejected", d.rejected()));
                        rejected++;
                        continue;
                    }
                    feeds.accept(d.event().type().feed(), EventProtos.fromLine(JSON.readTree(bytes)));
                    events++;
                }
            }
        }
        feeds.flush();
        return new Summary(events, rejected);
    }
}
