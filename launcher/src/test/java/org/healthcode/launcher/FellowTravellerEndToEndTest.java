package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.proto.Trip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fellow-traveller self-check with every part real: one broker, the risk job in its own JVM (MiniCluster,
 * RocksDB, exactly-once sinks), the serving process in its own JVM answering over HTTP, and the replay in its own
 * JVM over the same feed topics. Alice rode carriage 5 of a sealed train and tested positive the next day: the
 * self-check for carriage 5 says a case sat close, for carriage 8 that one rode the train; the replay's vehicle
 * records equal the live topic's. An earlier positive sample (before the train left) takes the trip out of her
 * infectious window: the self-check then says no case travelled on it.
 */
class FellowTravellerEndToEndTest {
    private static final Pattern JOB_READY = Pattern.compile("JOB RUNNING (\\S+)");
    private static final Pattern SERVING_READY = Pattern.compile("SERVING READY (\\S+)");
    private static final Pattern REPLAY_DONE = Pattern.compile("REPLAY DONE (.*)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "ft.";
    private static final String TRAIN = "G6301@2022-04-01";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(600)
    void aPlantedCaseOnATrainAnswersTheSelfCheckTheReplayAgreesAndAWithdrawnTripIsNoLongerReported() throws Exception {
        Path root = DemoEndToEndTest.projectRoot();
        List<AutoCloseable> open = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            List<NewTopic> topics = new ArrayList<>();
            for (Feed f : Feed.values()) {
                topics.add(Topics.plain(PREFIX + f.wireName(), 1));
            }
            Topics.ensure(bootstrap, topics);
            ModuleProcess serving = ModuleProcess.start(
                    root,
                    "interop",
                    "org.healthcode.interop.ServeMain",
                    List.of(
                            "--bootstrap-servers",
                            bootstrap,
                            "--status-topic",
                            PREFIX + "status",
                            "--topic-prefix",
                            PREFIX,
                            "--venue-topic",
                            "none",
                            "--data-dir",
                            work.resolve("view").toString(),
                            "--http-port",
                            "0",
                            "--dev-open-lookups"),
                    List.of("-Xmx512m"),
                    work.resolve("logs/serving.log"),
                    SERVING_READY);
            open.add(serving);
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(producer, trip("tkt-alice", "alice", "5"));
                send(producer, trip("tkt-bob", "bob", "8"));
                send(producer, test("lab-1", "2022-04-02T09:00:00+08:00", "alice", "positive"));
                send(producer, test("lab-2", "2022-04-02T12:00:00+08:00", "zoe", "negative"));
            }
            String http = serving.awaitReady(Duration.ofMinutes(2));
            ModuleProcess job = ModuleProcess.start(
                    root,
                    "risk-model",
                    "org.healthcode.risk.RiskJob",
                    List.of(
                            "--bootstrap-servers",
                            bootstrap,
                            "--checkpoint-dir",
                            work.resolve("checkpoints").toString(),
                            "--work-dir",
                            work.toString(),
                            "--topic-prefix",
                            PREFIX,
                            "--group-id",
                            "ft-job",
                            "--transactional-id-prefix",
                            "ft-job",
                            "--parallelism",
                            "1"),
                    List.of("-Xmx768m"),
                    work.resolve("logs/job.log"),
                    JOB_READY);
            open.add(job);
            job.awaitReady(Duration.ofMinutes(4));
            HttpClient client = HttpClient.newHttpClient();

            JsonNode close = awaitAnswer(
                    client, http, "&carriage=5", a -> a.path("caseOnBoard").asBoolean(), Duration.ofMinutes(3));
            assertThat(close.get("closeToACase").asBoolean()).isTrue();
            assertThat(close.get("sameVehicleRule").asText()).isEqualTo("close_contact");
            assertThat(close.toString()).doesNotContain("alice", "lab-1", "tkt-");
            JsonNode rest = selfCheck(client, http, "&carriage=8");
            assertThat(rest.get("caseOnBoard").asBoolean()).isTrue();
            assertThat(rest.get("closeToACase").asBoolean()).isFalse();

            // the replay of the same feed topics writes the same vehicle records the live job published
            TreeMap<String, String> live = latestVehicleRecords(bootstrap);
            assertThat(live).containsOnlyKeys(TRAIN);
            Path replayOut = work.resolve("replay");
            ModuleProcess replay = ModuleProcess.start(
                    root,
                    "risk-model",
                    "org.healthcode.risk.ReplayJob",
                    List.of(
                            "--bootstrap-servers",
                            bootstrap,
                            "--topic-prefix",
                            PREFIX,
                            "--from",
                            "earliest",
                            "--to",
                            "latest",
                            "--work-dir",
                            work.toString(),
                            "--out",
                            replayOut.toString(),
                            "--quiet"),
                    List.of("-Xmx512m"),
                    work.resolve("logs/replay.log"),
                    REPLAY_DONE);
            open.add(replay);
            replay.awaitReady(Duration.ofMinutes(4));
            assertThat(Files.readAllLines(replayOut.resolve("vehicle-cases.jsonl"), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(live.values());

            // alice's first positive sample was taken before the train left: the trip leaves her window
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                send(producer, test("lab-0", "2022-04-01T07:00:00+08:00", "alice", "positive"));
                send(producer, test("lab-3", "2022-04-02T13:00:00+08:00", "zoe", "negative"));
            }
            JsonNode gone = awaitAnswer(
                    client, http, "&carriage=5", a -> !a.path("caseOnBoard").asBoolean(), Duration.ofMinutes(3));
            assertThat(gone.get("sameVehicleRule").asText()).isEqualTo("none");
            assertThat(latestVehicleRecords(bootstrap)).isEmpty();
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    private static JsonNode selfCheck(HttpClient http, String base, String position) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/self-check/vehicle?vehicleId=" + TRAIN + position))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    }

    /** Asks every 5 s (the address may ask 10 a minute) until the answer satisfies {@code done}. */
    private static JsonNode awaitAnswer(
            HttpClient http, String base, String position, Predicate<JsonNode> done, Duration timeout)
            throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            last = selfCheck(http, base, position);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(5_000);
        }
        throw new AssertionError("self-check not as expected after " + timeout.toSeconds() + " s: " + last);
    }

    /** The committed vehicle-cases topic's latest record per vehicle, tombstones removing theirs. */
    private static TreeMap<String, String> latestVehicleRecords(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TreeMap<String, String> latest = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(PREFIX + "vehicle-cases").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.put(key, new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return latest;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Event e) throws Exception {
        producer.send(new ProducerRecord<>(
                        PREFIX + e.getFeed(), e.getEventId().getBytes(StandardCharsets.UTF_8), e.toByteArray()))
                .get();
    }

    private static Event trip(String id, String person, String carriage) {
        return Event.newBuilder()
                .setFeed("transport")
                .setType("trip")
                .setEventId(id)
                .setTime("2022-04-01T08:00:00+08:00")
                .setRegion("440100")
                .setPersonId(person)
                .setTrip(Trip.newBuilder()
                        .setMode("train")
                        .setVehicleId(TRAIN)
                        .setSealed(true)
                        .setCarriage(carriage)
                        .setFromArea("440106")
                        .setToArea("440300")
                        .setDeparture("2022-04-01T08:00:00+08:00")
                        .setArrival("2022-04-01T08:35:00+08:00"))
                .build();
    }

    private static Event test(String id, String time, String person, String result) {
        return Event.newBuilder()
                .setFeed("health")
                .setType("test_result")
                .setEventId(id)
                .setTime(time)
                .setRegion("440100")
                .setPersonId(person)
                .setTestResult(TestResult.newBuilder().setMethod("pcr").setResult(result))
                .build();
    }
}
