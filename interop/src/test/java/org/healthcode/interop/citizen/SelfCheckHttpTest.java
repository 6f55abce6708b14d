package org.healthcode.interop.citizen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.areas.RiskAreaListing;
import org.healthcode.contracts.vehicles.VehicleCases;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.LookupAudit;
import org.healthcode.interop.config.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-check and the risk areas over the serving process's real HTTP server, fed by a real broker's
 * {@code vehicle-cases}, {@code risk-areas} and {@code status} topics: what the self-check's answer holds and never
 * holds, the count suppression, bad input naming its field, the per-address limit, an answer that follows a
 * withdrawn case; the listings in force, and a person's stay behind their risk-area condition.
 */
class SelfCheckHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DEPART = IsoTimes.parse("2022-04-01T08:00:00+08:00");
    private static final long ARRIVE = IsoTimes.parse("2022-04-01T08:35:00+08:00");
    private static final long FOUND = IsoTimes.parse("2022-04-03T09:00:00+08:00");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersWhetherACaseTravelledAndWhetherCloseWithoutIdentityOrSmallCountsAndLimitsEachAddress()
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0)) {
            Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted("vehicle-cases", 1)));
            List<VehicleCases.CaseTrip> crowd = new ArrayList<>();
            for (int i = 0; i < FellowTravellerCheck.COUNT_THRESHOLD; i++) {
                crowd.add(new VehicleCases.CaseTrip("flight", null, null, 10 + i, DEPART, ARRIVE, FOUND));
            }
            try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
                publish(producer, train("G6301@2022-04-01", "5"));
                publish(producer, new VehicleCases("CZ3101@2022-04-01", 3, crowd));
            }
            ServeConfig config =
                    new ServeConfig(broker.bootstrapServers(), "status", work.resolve("view"), "127.0.0.1", 0, 64);
            try (ServingNode node = ServingNode.start(config, AuditSink.DISCARD)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> node.vehicleCases().caughtUp()
                                && node.vehicleCases().get("CZ3101@2022-04-01") != null);
                URI base = node.baseUri();

                // 1: one case in the asker's carriage of a sealed train: close, and no count below the threshold
                HttpResponse<String> close = get(base, "vehicleId=g6301@2022-04-01&carriage=5");
                assertThat(close.statusCode()).isEqualTo(200);
                JsonNode c = JSON.readTree(close.body());
                assertThat(c.get("vehicleId").asText()).isEqualTo("G6301@2022-04-01");
                assertThat(c.get("caseOnBoard").asBoolean()).isTrue();
                assertThat(c.get("closeToACase").asBoolean()).isTrue();
                assertThat(c.get("sameVehicleRule").asText()).isEqualTo("close_contact");
                assertThat(c.get("cases").asText()).isEqualTo("fewer than 10");
                List<String> fields = new ArrayList<>();
                c.fieldNames().forEachRemaining(fields::add);
                assertThat(fields)
                        .containsExactly(
                                "vehicleId", "caseOnBoard", "cases", "closeToACase", "sameVehicleRule", "advice");
                assertThat(close.body()).doesNotContain("person", "caseFound", "2022-04-03", "08:35", "p-");

                // 2: another carriage of the same train: the rest of the train
                JsonNode rest = JSON.readTree(
                        get(base, "vehicleId=G6301@2022-04-01&carriage=7").body());
                assertThat(rest.get("closeToACase").asBoolean()).isFalse();
                assertThat(rest.get("sameVehicleRule").asText()).isEqualTo("rest_of_vehicle");

                // 3, 4: bad input names its field
                HttpResponse<String> bad = get(base, "vehicleId=G6301-2022-04-01");
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("vehicleId");
                HttpResponse<String> badRow = get(base, "vehicleId=CZ3101@2022-04-01&row=0");
                assertThat(badRow.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(badRow.body()).get("field").asText()).isEqualTo("row");

                // 5: ten cases on a flight: the count is given only as the band at the threshold
                JsonNode many = JSON.readTree(
                        get(base, "vehicleId=CZ3101@2022-04-01&row=40").body());
                assertThat(many.get("cases").asText()).isEqualTo("10 or more");
                assertThat(many.get("closeToACase").asBoolean()).isFalse();

                // 6: the case is withdrawn (a tombstone): the answer follows
                try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
                    producer.send(new ProducerRecord<>("vehicle-cases", bytes("G6301@2022-04-01"), null))
                            .get();
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> node.vehicleCases().get("G6301@2022-04-01") == null);
                JsonNode gone = JSON.readTree(
                        get(base, "vehicleId=G6301@2022-04-01&carriage=5").body());
                assertThat(gone.get("caseOnBoard").asBoolean()).isFalse();

                // then the per-address limit: 10 a minute, answered 429 with Retry-After
                HttpResponse<String> limited = null;
                for (int i = 0; i < 5 && (limited == null || limited.statusCode() != 429); i++) {
                    limited = get(base, "vehicleId=G6301@2022-04-01");
                }
                assertThat(limited.statusCode()).isEqualTo(429);
                assertThat(limited.headers().firstValue("Retry-After")).isPresent();
                assertThat(JSON.readTree(limited.body()).get("error").asText()).isEqualTo("rate_limited");
                // other endpoints are not held back by the self-check's limit
                assertThat(http.send(
                                        HttpRequest.newBuilder(base.resolve("/health"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void listsTheRiskAreasInForceAndThePersonsStaysInOneAuditedAsALookup() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0)) {
            Topics.ensure(
                    broker.bootstrapServers(),
                    List.of(Topics.compacted("risk-areas", 1), Topics.compacted("status", 1)));
            long listed = IsoTimes.parse("2022-04-01T00:00:00+08:00");
            List<RiskAreaListing> listings = List.of(
                    new RiskAreaListing("ra-1", "440106", "high", listed, null),
                    new RiskAreaListing("ra-2", "440305", "medium", listed, listed + 86_400_000L),
                    new RiskAreaListing("ra-3", "440100", "low", listed, null),
                    new RiskAreaListing("ra-4", "440304", "medium", listed, null));
            StatusRecord hana = StatusRecord.newBuilder()
                    .setPersonId("hana")
                    .setColour("red")
                    .setSinceMs(listed)
                    .addConditions(ConditionRecord.newBuilder()
                            .setReason("high_risk_area")
                            .addCause("area-hotel/77/ra-1") // an event id holding a slash
                            .setStartMs(listed)
                            .setColour("red")
                            .setEndsWith("a negative test"))
                    .setRuleVersion("2022.04")
                    .setSeq(1)
                    .setEffectiveMs(listed)
                    .build();
            try (KafkaProducer<byte[], byte[]> producer = producer(broker)) {
                for (RiskAreaListing l : listings) {
                    producer.send(new ProducerRecord<>("risk-areas", bytes(l.listingId()), bytes(l.toJson())))
                            .get();
                }
                producer.send(new ProducerRecord<>("status", bytes("hana"), hana.toByteArray()))
                        .get();
            }
            List<LookupAudit> audits = new CopyOnWriteArrayList<>();
            ServeConfig config =
                    new ServeConfig(broker.bootstrapServers(), "status", work.resolve("view"), "127.0.0.1", 0, 64);
            try (ServingNode node = ServingNode.start(config, audits::add)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> node.riskAreaListings().values().size() == 4
                                && node.metrics().recordsApplied() == 1);
                URI base = node.baseUri();
                String at = "at=2022-04-05T12:00:00%2B08:00";

                JsonNode now =
                        JSON.readTree(send(base.resolve("/v1/risk-areas?" + at)).body());
                assertThat(now.get("areas"))
                        .extracting(a -> a.get("listingId").asText())
                        .containsExactly("ra-1", "ra-4"); // high first; the ended and the low listings left out
                assertThat(now.get("areas").get(0).get("to").isNull()).isTrue();

                HttpResponse<String> bad = send(base.resolve("/v1/risk-areas?at=yesterday"));
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(JSON.readTree(bad.body()).get("field").asText()).isEqualTo("at");

                HttpResponse<String> mine = send(base.resolve("/v1/risk-areas/me/hana?" + at));
                assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
                JsonNode stays = JSON.readTree(mine.body()).get("yourStays");
                assertThat(stays).hasSize(1);
                assertThat(stays.get(0).get("stay").asText()).isEqualTo("hotel/77");
                assertThat(stays.get(0).get("areaCode").asText()).isEqualTo("440106");
                assertThat(stays.get(0).get("level").asText()).isEqualTo("high");
                assertThat(stays.get(0).get("listedNow").asBoolean()).isTrue();
                assertThat(audits).extracting(LookupAudit::personId).contains("hana");

                assertThat(send(base.resolve("/v1/risk-areas/me/nobody")).statusCode())
                        .isEqualTo(404);

                // hana's own itinerary declaration: the stops that overlap a listing are her recent stays too,
                // marked declared and not counted (behind no condition of her status); the others are not listed
                Instant today = Instant.now();
                String itinerary = "{\"declarationId\":\"trip-9\",\"declaredAt\":\"" + today + "\",\"stops\":["
                        + stop("440106", today.minus(Duration.ofDays(3)), today.minus(Duration.ofDays(2))) + ","
                        + stop("440304", today.minus(Duration.ofDays(5)), today.minus(Duration.ofDays(4))) + ","
                        + stop("440999", today.minus(Duration.ofDays(2)), today.minus(Duration.ofDays(1))) + ","
                        + stop("440305", today.minus(Duration.ofDays(6)), today.minus(Duration.ofDays(5))) + ","
                        + stop("440106", today.minus(Duration.ofDays(20)), today.minus(Duration.ofDays(19))) + "]}";
                HttpResponse<String> declared = http.send(
                        HttpRequest.newBuilder(base.resolve("/v1/declarations/hana/itinerary"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(itinerary))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(declared.statusCode()).as(declared.body()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode withDeclared = JSON.readTree(
                                    send(base.resolve("/v1/risk-areas/me/hana")).body())
                            .get("yourStays");
                    assertThat(withDeclared)
                            .extracting(n -> n.get("stay").asText() + " "
                                    + n.get("areaCode").asText() + " "
                                    + n.get("level").asText() + " declared="
                                    + n.get("declared").asBoolean()
                                    + " counted=" + n.get("counted").asBoolean())
                            .containsExactly(
                                    "hotel/77 440106 high declared=false counted=true",
                                    "decl/itinerary/hana/trip-9/1 440304 medium declared=true counted=false",
                                    "decl/itinerary/hana/trip-9/0 440106 high declared=true counted=false");
                });
                JsonNode other = JSON.readTree(
                        send(base.resolve("/v1/risk-areas/me/hana-not")).body());
                assertThat(other.toString()).as("no one else's declarations").doesNotContain("trip-9");
            }
        }
    }

    private static String stop(String area, Instant from, Instant to) {
        return "{\"areaCode\":\"" + area + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}";
    }

    private HttpResponse<String> send(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static VehicleCases train(String vehicleId, String carriage) {
        return new VehicleCases(
                vehicleId, 3, List.of(new VehicleCases.CaseTrip("train", true, carriage, null, DEPART, ARRIVE, FOUND)));
    }

    private HttpResponse<String> get(URI base, String query) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/v1/self-check/vehicle?" + query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void publish(KafkaProducer<byte[], byte[]> producer, VehicleCases v) throws Exception {
        producer.send(new ProducerRecord<>("vehicle-cases", bytes(v.vehicleId()), bytes(v.toJson())))
                .get();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
