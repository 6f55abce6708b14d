package org.healthcode.ingest.city;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.sinks.FeedProducer;
import org.healthcode.ingest.sinks.JsonLinesSink;

/**
 * Command line for the synthetic city. Prints progress, then {@code CITY DONE events=N bad=M} when finished.
 *
 * <pre>
 * SyntheticCityMain --persons N --days D --seed S [--start ISO] (--out FILE.jsonl | --out - | --bootstrap-servers HOST:PORT [--topic-prefix P])
 *                   [--speed X] [--bad-rate F] [--planted-contacts on|off]
 * </pre>
 */
public final class SyntheticCityMain {
    private SyntheticCityMain() {}

    public static void main(String[] args) throws Exception {
        int persons = 10_000;
        int days = 14;
        long seed = 1;
        OffsetDateTime start = OffsetDateTime.ofInstant(CityConfig.DEFAULT_START, java.time.ZoneOffset.ofHours(8));
        String out = null;
        String bootstrap = null;
        String prefix = "";
        double speed = 0;
        double badRate = 0;
        boolean plant = true;
        String kafkaConfig = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                usage();
                return;
            }
            String v = i + 1 < args.length ? args[++i] : null;
            if (v == null) {
                problems.add(a + " needs a value");
                break;
            }
            try {
                switch (a) {
                    case "--persons" -> persons = Integer.parseInt(v);
                    case "--days" -> days = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--start" -> start = OffsetDateTime.parse(v);
                    case "--out" -> out = v;
                    case "--bootstrap-servers" -> bootstrap = v;
                    case "--topic-prefix" -> prefix = v;
                    case KafkaClientSettings.OPTION -> kafkaConfig = v;
                    case "--speed" -> speed = Double.parseDouble(v);
                    case "--bad-rate" -> badRate = Double.parseDouble(v);
                    case "--planted-contacts" ->
                        plant = switch (v) {
                            case "on" -> true;
                            case "off" -> false;
                            default -> throw new IllegalArgumentException("on or off");
                        };
                    default -> problems.add("unknown option " + a);
                }
            } catch (RuntimeException e) {
                problems.add("bad value for " + a + ": " + v);
            }
        }
        if ((out == null) == (bootstrap == null)) {
            problems.add("give exactly one of --out FILE.jsonl and --bootstrap-servers HOST:PORT");
        }
        KafkaClientSettings kafka = KafkaClientSettings.NONE;
        if (kafkaConfig != null) {
            try {
                kafka = KafkaClientSettings.load(Path.of(kafkaConfig));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(KafkaClientSettings.OPTION + ": cannot use " + kafkaConfig + ": " + e.getMessage());
            }
        }
        CityConfig config =
                new CityConfig(persons, days, seed, start == null ? null : start.toInstant(), speed, badRate, plant);
        problems.addAll(config.problems());
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("error: " + p));
            usage();
            System.exit(2);
        }
        SyntheticCity city = new SyntheticCity(config);
        CaseRecord first = city.groundTruth().firstCase();
        log("city: " + persons + " persons, " + days + " days from " + start + ", seed " + seed + ", "
                + city.groundTruth().cases().size() + " infections, "
                + city.groundTruth().contacts().size()
                + " contact designations; first positive sample at "
                + java.time.Instant.ofEpochMilli(first.positiveSample()));
        try (CitySink sink = open(out, bootstrap, kafka, prefix)) {
            SyntheticCity.CityStats stats = city.run(sink, SyntheticCityMain::log);
            sink.flush();
            log("CITY DONE events=" + stats.events() + " bad=" + stats.badRecords());
        }
    }

    private static CitySink open(String out, String bootstrap, KafkaClientSettings kafka, String prefix)
            throws IOException {
        if (bootstrap != null) {
            return new FeedProducer(
                    new org.apache.kafka.clients.producer.KafkaProducer<>(
                            kafka.with(FeedProducer.properties(bootstrap))),
                    prefix);
        }
        if (out.equals("-")) {
            return new JsonLinesSink(System.out, false);
        }
        return JsonLinesSink.toFile(Path.of(out));
    }

    /** Progress goes to stderr so {@code --out -} leaves stdout to the events. */
    private static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }

    private static void usage() {
        System.err.println(
                "usage: SyntheticCityMain --persons N --days D --seed S [--start 2022-04-01T00:00:00+08:00]\n"
                        + "         (--out FILE.jsonl | --out - | --bootstrap-servers HOST:PORT [--topic-prefix P]\n"
                        + "          [--kafka-config FILE (Kafka client settings: SASL_SSL, SCRAM, mTLS)])\n"
                        + "         [--speed X (simulated/real time, 3600 = 1 h per s; 0 = as fast as possible)]\n"
                        + "         [--bad-rate F (share of extra malformed records, e.g. 0.001)]\n"
                        + "         [--planted-contacts on|off (a small outbreak with known contacts; default on)]");
    }
}
