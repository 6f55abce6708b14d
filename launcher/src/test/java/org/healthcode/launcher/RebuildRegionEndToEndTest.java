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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.ingest.proto.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilding a region's state (docs: risk-model README, "Rebuilding a region's state"), every part real: one broker,
 * the serving process (its own JVM and RocksDB view), and the risk job in its own JVM. The first job turns carol
 * yellow for a fever-clinic visit and green again on a negative test (seq 1, 2). It is stopped, and a new job with
 * empty state (new checkpoint directory and consumer group) and a rule set that asks two negative tests replays the
 * retained feeds into the same status topic: carol is yellow again, at seq 1. The lookup must say what the topic's
 * last record says; with seq alone the view kept the old green as newer.
 */
class RebuildRegionEndToEndTest {
    private static final Pattern JOB_READY = Pattern.compile("JOB RUNNING (\\S+)");
    private static final Pattern SERVING_READY = Pattern.compile("SERVING READY (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "rb.";
    private static final List<String> PERSONS = List.of("carol", "dave");

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(600)
    void aJobRebuiltFromEmptyStateNeverLeavesTheLookupDisagreeingWithTheStatusTopic() throws Exception {
        Path root = DemoEndToEndTest.projectRoot();
        List<AutoCloseable> open = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            List<NewTopic> topics = new ArrayList<>();
            for (Feed f : Feed.values()) {
                topics.add(Topics.plain(PREFIX + f.wireName(), 1));
            }
            topics.add(Topics.compacted(PREFIX + "status", 1));
            topics.add(Topics.plain(PREFIX + "rejected", 1));
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
                send(producer, fever("fc-1", "2022-04-04T09:00:00+08:00", "carol"));
                send(producer, test("lab-1", "2022-04-05T09:00:00+08:00", "carol", "negative"));
                send(producer, test("lab-2", "2022-04-05T10:00:00+08:00", "dave", "positive"));
                // moves event time past the others
                send(producer, test("lab-3", "2022-04-06T09:00:00+08:00", "zoe", "negative"));
            }
            String http = serving.awaitReady(Duration.ofMinutes(2));
            HttpClient client = HttpClient.newHttpClient();

            ModuleProcess first = job(root, bootstrap, "first", null);
            open.add(first);
            first.awaitReady(Duration.ofMinutes(4));
            awaitColour(client, URI.create(http + "/v1/status/carol"), "green", Duration.ofMinutes(3));
            first.close();

            Path rules = work.resolve("rules-v2.json");
            String defaults = Files.readString(root.resolve("risk-model/src/main/resources/rules/default-rules.json"));
            Files.writeString(
                    rules,
                    defaults.replace(
                                    "\"fever_clinic\":       {\"phases\": [{\"colour\": \"yellow\", \"hours\": 0}], "
                                            + "\"exit\": {\"kind\": \"negative_test\"}}",
                                    "\"fever_clinic\": {\"phases\": [{\"colour\": \"yellow\", \"hours\": 0}], "
                                            + "\"exit\": {\"kind\": \"two_negative_tests\", \"minApartHours\": 24}}")
                            .replaceFirst("\"version\": *\"[^\"]*\"", "\"version\": \"rebuild-v2\""));
            ModuleProcess rebuilt = job(root, bootstrap, "rebuilt", rules);
            open.add(rebuilt);
            rebuilt.awaitReady(Duration.ofMinutes(4));

            Map<String, StatusRecord> topic = awaitLastRecords(bootstrap, "carol", "rebuild-v2", Duration.ofMinutes(3));
            assertThat(topic.get("carol").getColour())
                    .as("the rebuilt job's carol")
                    .isEqualTo("yellow");
            assertThat(topic.get("carol").getSeq()).isEqualTo(1);
            Thread.sleep(3000); // the view reads the same committed records
            for (String person : PERSONS) {
                JsonNode lookup = lookup(client, URI.create(http + "/v1/status/" + person));
                assertThat(lookup.path("colour").asText())
                        .as(person + ": lookup against the topic's last record")
                        .isEqualTo(topic.get(person).getColour());
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** The live job with its own checkpoint directory and consumer group ({@code name}): empty state at start. */
    private ModuleProcess job(Path root, String bootstrap, String name, Path rules) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                bootstrap,
                "--checkpoint-dir",
                work.resolve(name + "-checkpoints").toString(),
                "--work-dir",
                work.toString(),
                "--topic-prefix",
                PREFIX,
                "--group-id",
                "rb-" + name,
                "--transactional-id-prefix",
                "rb-" + name,
                "--parallelism",
                "1"));
        if (rules != null) {
            args.addAll(List.of("--rules", rules.toString()));
        }
        return ModuleProcess.start(
                root,
                "risk-model",
                "org.healthcode.risk.RiskJob",
                args,
                List.of("-Xmx768m"),
                work.resolve("logs/" + name + "-job.log"),
                JOB_READY);
    }

    /** The status topic's last committed record per person, once {@code person}'s is of {@code ruleVersion}. */
    private static Map<String, StatusRecord> awaitLastRecords(
            String bootstrap, String person, String ruleVersion, Duration timeout) throws Exception {
        Map<String, StatusRecord> last = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "rb-reader");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long end = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(PREFIX + "status"));
            while (System.nanoTime() < end
                    && !(last.containsKey(person)
                            && last.get(person).getRuleVersion().equals(ruleVersion))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    last.put(new String(r.key(), StandardCharsets.UTF_8), StatusRecord.parseFrom(r.value()));
                }
            }
            for (int i = 0; i < 6; i++) { // whatever the next checkpoints commit
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    last.put(new String(r.key(), StandardCharsets.UTF_8), StatusRecord.parseFrom(r.value()));
                }
            }
        }
        assertThat(last.get(person))
                .as(person + "'s record from the rebuilt job")
                .isNotNull()
                .satisfies(r -> assertThat(r.getRuleVersion()).isEqualTo(ruleVersion));
        return last;
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

    private static Event fever(String id, String time, String person) {
        return Event.newBuilder()
                .setFeed("health")
                .setType("fever_clinic_visit")
                .setEventId(id)
                .setTime(time)
                .setRegion("440100")
                .setPersonId(person)
                .setFeverClinicVisit(FeverClinicVisit.newBuilder().setClinicId("FC1"))
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

    private static JsonNode lookup(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void awaitColour(HttpClient http, URI uri, String colour, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200
                    && JSON.readTree(r.body()).path("colour").asText().equals(colour)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(uri + " not " + colour + " after " + timeout.toSeconds() + " s; last answer: " + last);
    }
}
