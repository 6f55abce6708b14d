package org.healthcode.interop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.StatusFixtures;
import org.healthcode.interop.config.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit fails closed against a real broker that stops in the middle of a run: while it is down no lookup is
 * answered (503), and every lookup answered before, during or after the outage has its record on the audit topic.
 */
class AuditFailsClosedTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int UP = 0;
    private static final int DOWN = 1;
    private static final int RESTARTING = 2;
    private static final int BACK = 3;

    @TempDir
    Path dir;

    /** One lookup: its person id, the broker's phase when it was sent and when it was answered, and the answer. */
    private record Probe(String id, int sentIn, int answeredIn, int status, String body) {}

    @Test
    void noLookupIsAnsweredWhileTheBrokerIsDownAndEveryAnsweredLookupIsOnTheAuditTopic() throws Exception {
        KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0);
        String bootstrap = broker.bootstrapServers();
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        Topics.ensure(bootstrap, List.of(Topics.compacted("status", 1)));
        publishAlice(bootstrap);
        AtomicInteger phase = new AtomicInteger(UP);
        List<Probe> probes = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        ServeConfig config = new ServeConfig(bootstrap, "status", dir.resolve("view"), "127.0.0.1", 0, 16);
        try (ServingNode node = ServingNode.start(config, AuditSink.DISCARD)) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            await().atMost(WAIT).until(() -> get(http, node.baseUri(), "alice").statusCode() == 200);
            for (int t = 0; t < 4; t++) {
                Thread client = new Thread(
                        () -> {
                            while (phase.get() >= 0) {
                                String id = "probe-" + next.incrementAndGet();
                                int sentIn = phase.get();
                                try {
                                    HttpResponse<String> r = get(http, node.baseUri(), id);
                                    probes.add(new Probe(id, sentIn, phase.get(), r.statusCode(), r.body()));
                                } catch (Exception e) {
                                    probes.add(new Probe(id, sentIn, phase.get(), -1, e.toString()));
                                }
                            }
                        },
                        "lookup-client-" + t);
                clients.add(client);
                client.start();
            }
            await().atMost(WAIT).until(() -> answered(probes, UP) >= 50);
            broker.close();
            phase.set(DOWN);
            await().atMost(WAIT)
                    .until(() -> probes.stream().filter(p -> p.sentIn() == DOWN).count() >= 12);
            phase.set(RESTARTING);
            broker = KafkaBroker.start(dir.resolve("broker"), port);
            phase.set(BACK);
            await().atMost(WAIT).until(() -> answered(probes, BACK) >= 50);
            phase.set(-1);
            for (Thread client : clients) {
                client.join();
            }

            for (Probe p : probes) {
                assertThat(p.status()).as(p.toString()).isIn(404, 503);
                if (p.status() == 503) {
                    assertThat(p.body()).as(p.toString()).containsAnyOf("\"unavailable\"", "\"overloaded\"");
                }
            }
            List<Probe> duringOutage = probes.stream()
                    .filter(p -> p.sentIn() == DOWN && p.answeredIn() == DOWN)
                    .toList();
            assertThat(duringOutage)
                    .isNotEmpty()
                    .allSatisfy(p -> assertThat(p.status()).as(p.toString()).isEqualTo(503));

            Set<String> answeredIds = new HashSet<>();
            probes.stream().filter(p -> p.status() == 404).forEach(p -> answeredIds.add(p.id()));
            Set<String> audited = new HashSet<>();
            try (KafkaConsumer<byte[], byte[]> consumer = auditReader(bootstrap)) {
                List<TopicPartition> partitions = consumer.partitionsFor("audit").stream()
                        .map(i -> new TopicPartition("audit", i.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                await().atMost(WAIT).until(() -> {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        audited.add(AuditRecord.fromJsonBytes(r.value()).subject());
                    }
                    return audited.containsAll(answeredIds);
                });
            }
            assertThat(audited).containsAll(answeredIds);
        } finally {
            phase.set(-1);
            broker.close();
        }
    }

    private static long answered(List<Probe> probes, int phase) {
        return probes.stream()
                .filter(p -> p.sentIn() == phase && p.status() == 404)
                .count();
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String id) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/v1/status/" + id))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void publishAlice(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(
                            "status",
                            "alice".getBytes(StandardCharsets.UTF_8),
                            StatusFixtures.green("alice", 1, StatusFixtures.MONDAY_9AM)
                                    .toByteArray()))
                    .get();
        }
    }

    private static KafkaConsumer<byte[], byte[]> auditReader(String bootstrap) {
        Properties c = new Properties();
        c.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(c);
    }
}
