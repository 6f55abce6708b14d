package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.CityStay;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.proto.Vaccination;
import org.healthcode.ingest.pseudonym.IdNumbers;
import org.healthcode.ingest.pseudonym.NationalPseudonym;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A red person of A who travels to B turns red in B", with every real part and no manual step: one
 * broker, two regions (Guangdong A, Shanghai B) each with its own risk job (own JVM, MiniCluster, RocksDB,
 * exactly-once) and serving process (own JVM, RocksDB view, mutual TLS from one development CA), one national key.
 * A's job sees its red person's carrier city stay in Shanghai and writes a request to {@code a.exchange-out}; A's
 * serving process pushes it to B over mutual TLS; B's inbox writes it to {@code b.interop}; B's job matches the
 * national pseudonym to B's own person and turns them red; B's lookup shows it without A's reasons. And B, as
 * role region over mutual TLS, looks the traveller up in A by the national pseudonym A's job put on the status.
 * When two negative tests clear the traveller in A, A's job withdraws the record and B turns green as well.
 *
 * <p>Event times are near the wall clock (the inbox stamps a record with its arrival), and a ticker keeps both
 * jobs' event time moving, as live feeds do.
 */
class TwoRegionsExchangeEndToEndTest {
    private static final String A = "440000";
    private static final String B = "310000";
    private static final Pattern JOB_READY = Pattern.compile("JOB RUNNING (\\S+)");
    private static final Pattern SERVING_READY = Pattern.compile("SERVING READY (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAVELLER_ID = IdNumbers.of("440106", java.time.LocalDate.of(1990, 1, 1), 123);

    /** Kept when the test fails: the four processes' logs are under {@code logs/}. */
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    @Timeout(600)
    void aRedPersonOfAWhoseCarrierStayIsInBTurnsRedInBWithoutAsReasons() throws Exception {
        Path nationalKey = keyFile("national-key", 9);
        Path secretA = keyFile("secret-a", 1);
        Path secretB = keyFile("secret-b", 2);
        Path ca = work.resolve("ca");
        List<AutoCloseable> open = new ArrayList<>();
        AtomicBoolean ticking = new AtomicBoolean(true);
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("broker"), 0)) {
            String bootstrap = broker.bootstrapServers();
            List<NewTopic> topics = new ArrayList<>();
            for (String prefix : List.of("a.", "b.")) {
                for (Feed f : Feed.values()) {
                    topics.add(Topics.plain(prefix + f.wireName(), 1));
                }
                topics.add(Topics.compacted(prefix + "status", 1));
                topics.add(Topics.plain(prefix + "rejected", 1));
            }
            Topics.ensure(bootstrap, topics);

            int tlsB = freePort();
            int tlsA = freePort();
            Path root = DemoEndToEndTest.projectRoot();
            // each node gets its own certificates from the CA (./healthcode access); the CA's key stays in work/ca
            Path pkiA = work.resolve("a-pki");
            Path pkiB = work.resolve("b-pki");
            access(
                    root,
                    List.of(
                            "node-cert",
                            "--ca-dir",
                            ca.toString(),
                            "--name",
                            "region-" + A,
                            "--role",
                            "region",
                            "--region",
                            A,
                            "--out",
                            pkiA.toString()));
            access(
                    root,
                    List.of(
                            "node-cert",
                            "--ca-dir",
                            ca.toString(),
                            "--name",
                            "region-" + B,
                            "--role",
                            "region",
                            "--region",
                            B,
                            "--out",
                            pkiB.toString()));
            // HTTP ports are picked by the processes (printed when ready); the TLS ports must be known in advance
            ModuleProcess servingB = serving(root, bootstrap, B, "b.", 0, tlsB, pkiB, List.of());
            open.add(servingB);
            String httpB = servingB.awaitReady(Duration.ofMinutes(2));
            ModuleProcess servingA = serving(
                    root, bootstrap, A, "a.", 0, tlsA, pkiA, List.of("--peer", B + "=https://127.0.0.1:" + tlsB));
            open.add(servingA);
            ModuleProcess jobA = job(root, bootstrap, A, "a.", secretA, nationalKey);
            open.add(jobA);
            ModuleProcess jobB = job(root, bootstrap, B, "b.", secretB, nationalKey);
            open.add(jobB);
            String httpA = servingA.awaitReady(Duration.ofMinutes(2));
            jobA.awaitReady(Duration.ofMinutes(4));
            jobB.awaitReady(Duration.ofMinutes(4));

            Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(36));
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                // A: the traveller's binding, a positive test, then a carrier city stay in Xuhui, Shanghai
                send(producer, "a.police", identity("a-id", t0, "440106", "13800138000"));
                send(
                        producer,
                        "a.health",
                        Event.newBuilder()
                                .setFeed("health")
                                .setType("test_result")
                                .setEventId("a-pcr")
                                .setTime(t0.plus(Duration.ofHours(1)).toString())
                                .setIdNumber(TRAVELLER_ID)
                                .setTestResult(
                                        TestResult.newBuilder().setMethod("pcr").setResult("positive"))
                                .build());
                Instant stayFrom = t0.plus(Duration.ofHours(24));
                Instant stayTo = t0.plus(Duration.ofHours(30));
                send(
                        producer,
                        "a.carrier",
                        Event.newBuilder()
                                .setFeed("carrier")
                                .setType("city_stay")
                                .setEventId("a-stay")
                                .setTime(stayTo.toString())
                                .setMsisdn("13800138000")
                                .setCityStay(CityStay.newBuilder()
                                        .setAreaCode("310104")
                                        .setFrom(stayFrom.toString())
                                        .setTo(stayTo.toString()))
                                .build());
                // B: the same person's real-name binding there (B's own pseudonym; the same national one)
                send(producer, "b.police", identity("b-id", t0, "310104", "13800138000"));
            }
            Thread ticker = ticker(bootstrap, ticking);
            ticker.start();

            String personInB = new Pseudonymiser(RegionSecret.fromFile(secretB)).personId(TRAVELLER_ID);
            HttpClient http = HttpClient.newHttpClient();
            JsonNode red =
                    awaitColour(http, URI.create(httpB + "/v1/status/" + personInB), "red", Duration.ofMinutes(5));
            assertThat(red.path("conditions")).hasSize(1);
            assertThat(red.path("conditions").get(0).path("reason").asText()).isEqualTo("cross_region_risk");
            assertThat(red.toString()).doesNotContain("positive_test", "a-pcr", "a-stay", "a-id");
            // the same person in A is red for A's own reason
            String personInA = new Pseudonymiser(RegionSecret.fromFile(secretA)).personId(TRAVELLER_ID);
            JsonNode inA =
                    awaitColour(http, URI.create(httpA + "/v1/status/" + personInA), "red", Duration.ofMinutes(1));
            assertThat(inA.path("conditions").get(0).path("reason").asText()).isEqualTo("positive_test");

            // B looks the traveller up in A by the national pseudonym A's job put on the status (federated view)
            Path p12 = work.resolve("region-b.p12");
            access(
                    root,
                    List.of(
                            "client-cert",
                            "--ca-dir",
                            ca.toString(),
                            "--name",
                            "region-" + B,
                            "--role",
                            "region",
                            "--region",
                            B,
                            "--out",
                            p12.toString()));
            String national = new NationalPseudonym(Base64.getDecoder()
                            .decode(Files.readString(nationalKey).strip()))
                    .of(TRAVELLER_ID);
            HttpClient asRegionB = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .sslContext(mutualTls(p12, ca.resolve("ca.crt")))
                    .build();
            HttpResponse<String> federated = asRegionB.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsA + "/v1/status/" + national))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(federated.statusCode()).as(federated.body()).isEqualTo(200);
            JsonNode f = JSON.readTree(federated.body());
            assertThat(f.path("colour").asText()).isEqualTo("red");
            assertThat(f.path("issuingRegion").asText()).isEqualTo(A);
            assertThat(federated.body()).doesNotContain("positive_test", "conditions", personInA);

            // two negative tests clear the traveller in A: A's job withdraws the record, and B turns green too
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                for (int h : new int[] {2, 27}) {
                    send(
                            producer,
                            "a.health",
                            Event.newBuilder()
                                    .setFeed("health")
                                    .setType("test_result")
                                    .setEventId("a-neg-" + h)
                                    .setTime(t0.plus(Duration.ofHours(h)).toString())
                                    .setIdNumber(TRAVELLER_ID)
                                    .setTestResult(TestResult.newBuilder()
                                            .setMethod("pcr")
                                            .setResult("negative"))
                                    .build());
                }
            }
            awaitColour(http, URI.create(httpA + "/v1/status/" + personInA), "green", Duration.ofMinutes(3));
            JsonNode withdrawn =
                    awaitColour(http, URI.create(httpB + "/v1/status/" + personInB), "green", Duration.ofMinutes(3));
            assertThat(withdrawn.path("conditions")).isEmpty();
            ticking.set(false);
            ticker.join(10_000);
        } finally {
            ticking.set(false);
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }

    /** Runs {@code ./healthcode access} (AccessMain) with {@code args} until it printed its last line. */
    private void access(Path root, List<String> args) throws Exception {
        // node-cert ends with "give DIR to the node", client-cert with its one "wrote FILE (PKCS#12"
        try (ModuleProcess access = ModuleProcess.start(
                root,
                "interop",
                "org.healthcode.interop.AccessMain",
                args,
                List.of(),
                work.resolve("logs").resolve("access-" + System.nanoTime() + ".log"),
                Pattern.compile("give (\\S+) to the node|wrote (\\S+) \\(PKCS"))) {
            access.awaitReady(Duration.ofMinutes(1));
        }
    }

    /** A caller of the CA: the PKCS#12 AccessMain wrote (its password beside it), trusting the CA certificate. */
    private static javax.net.ssl.SSLContext mutualTls(Path p12, Path caCert) throws Exception {
        char[] password = Files.readString(Path.of(p12 + ".password")).strip().toCharArray();
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            keys.load(in, password);
        }
        javax.net.ssl.KeyManagerFactory kmf =
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private Path keyFile(String name, int fill) throws Exception {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        Path f = work.resolve(name);
        Files.writeString(f, Base64.getEncoder().encodeToString(k));
        return f;
    }

    private ModuleProcess serving(
            Path root, String bootstrap, String region, String prefix, int http, int tls, Path pki, List<String> extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers",
                bootstrap,
                "--region",
                region,
                "--topic-prefix",
                prefix,
                "--status-topic",
                prefix + "status",
                "--data-dir",
                work.resolve(prefix + "view").toString(),
                "--http-port",
                Integer.toString(http),
                "--tls-port",
                Integer.toString(tls),
                "--pki-dir",
                pki.toString(),
                "--venue-topic",
                "none",
                "--dev-open-lookups"));
        args.addAll(extra);
        return ModuleProcess.start(
                root,
                "interop",
                "org.healthcode.interop.ServeMain",
                args,
                List.of("-Xmx512m"),
                work.resolve("logs").resolve(prefix + "serving.log"),
                SERVING_READY);
    }

    private ModuleProcess job(Path root, String bootstrap, String region, String prefix, Path secret, Path nationalKey)
            throws Exception {
        return ModuleProcess.start(
                root,
                "risk-model",
                "org.healthcode.risk.RiskJob",
                List.of(
                        "--bootstrap-servers",
                        bootstrap,
                        "--checkpoint-dir",
                        work.resolve(prefix + "checkpoints").toString(),
                        "--secret-file",
                        secret.toString(),
                        "--national-key-file",
                        nationalKey.toString(),
                        "--topic-prefix",
                        prefix,
                        "--region",
                        region,
                        "--group-id",
                        prefix + "risk",
                        "--transactional-id-prefix",
                        prefix + "risk",
                        "--parallelism",
                        "1"),
                List.of("-Xmx768m"),
                work.resolve("logs").resolve(prefix + "job.log"),
                JOB_READY);
    }

    private static Event identity(String eventId, Instant at, String area, String msisdn) {
        return Event.newBuilder()
                .setFeed("police")
                .setType("identity")
                .setEventId(eventId)
                .setTime(at.toString())
                .setIdNumber(TRAVELLER_ID)
                .setMsisdn(msisdn)
                .setIdentity(Identity.newBuilder().setAreaCode(area))
                .build();
    }

    /** Keeps event time moving in both regions: a harmless vaccination of a bystander, stamped now, every second. */
    private static Thread ticker(String bootstrap, AtomicBoolean ticking) {
        AtomicLong n = new AtomicLong();
        Thread t = new Thread(
                () -> {
                    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
                        while (ticking.get()) {
                            for (String prefix : List.of("a.", "b.")) {
                                long i = n.incrementAndGet();
                                send(
                                        producer,
                                        prefix + "health",
                                        Event.newBuilder()
                                                .setFeed("health")
                                                .setType("vaccination")
                                                .setEventId("tick-" + i)
                                                .setTime(Instant.now().toString())
                                                .setPersonId("bystander")
                                                .setVaccination(
                                                        Vaccination.newBuilder().setDose(1))
                                                .build());
                            }
                            Thread.sleep(1000);
                        }
                    } catch (Exception e) {
                        // the test is over
                    }
                },
                "ticker");
        t.setDaemon(true);
        return t;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Event e) throws Exception {
        producer.send(new ProducerRecord<>(topic, e.getEventId().getBytes(StandardCharsets.UTF_8), e.toByteArray()))
                .get();
    }

    private static JsonNode awaitColour(HttpClient http, URI uri, String colour, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200) {
                JsonNode n = JSON.readTree(r.body());
                if (n.path("colour").asText().equals(colour)) {
                    return n;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError(uri + " not " + colour + " after " + timeout.toSeconds() + " s; last answer: " + last);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
