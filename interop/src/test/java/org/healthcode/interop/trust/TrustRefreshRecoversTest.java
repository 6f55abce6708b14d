package org.healthcode.interop.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.interop.HubNode;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.TestCertificates;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust-list refresh of a running region across an outage of the national hub: {@code /health} says
 * {@code degraded} (naming the trust follower) while the hub is away and the region keeps its last good list; once
 * the hub is back the schedule fetches the newer list by itself, without a restart, and the region is up again.
 */
class TrustRefreshRecoversTest {
    private static final String GUANGDONG = "440000";
    private static final String SHANGHAI = "310000";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void afterAHubOutageTheRegionFetchesTheNewerListByItselfAndHealthSaidDegradedMeanwhile() throws Exception {
        TestCertificates certs = TestCertificates.in(dir);
        Path enrolGuangdong = codesOf(GUANGDONG, dir.resolve("a")).writeTrustList(dir.resolve("enrol-a.json"), now());
        Path enrolShanghai = codesOf(SHANGHAI, dir.resolve("b")).writeTrustList(dir.resolve("enrol-b.json"), now());
        Path hubPki = certs.hub(dir.resolve("hub-pki"));
        int hubPort = freePort();
        HubNode hub = startHub(hubPort, hubPki, List.of(enrolGuangdong));
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), 0)) {
            Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted("a.status", 1)));
            InteropConfig options = InteropConfig.defaults()
                    .withRegion(GUANGDONG, "a.")
                    .withAccess(
                            null, false, 0, certs.region(GUANGDONG, dir.resolve("a-pki")), InteropConfig.DEFAULT_RATES)
                    .withHub(hub.baseUri(), hub.hub().publicKeyFile(), List.of(), Map.of());
            ServeConfig config = new ServeConfig(
                            broker.bootstrapServers(),
                            "a.status",
                            dir.resolve("a").resolve("view"),
                            "127.0.0.1",
                            0,
                            16)
                    .withInterop(refreshEverySecond(options));
            try (ServingNode region = ServingNode.start(config, AuditSink.DISCARD)) {
                URI health = region.baseUri().resolve("/health");
                TrustListClient trust = region.interop().trust().orElseThrow();
                await().atMost(WAIT).until(() -> trust.current().isPresent() && trustUp(health(health)));
                long before = trust.current().orElseThrow().bundle().serial();
                assertThat(regions(trust)).containsExactly(GUANGDONG);
                await().atMost(WAIT)
                        .until(() -> health(health).get("status").asText().equals("ok"));

                // the hub goes away: the region says so and keeps the list it has
                hub.close();
                await().atMost(WAIT).until(() -> {
                    JsonNode h = health(health);
                    return h.get("status").asText().equals("degraded") && !trustUp(h);
                });
                assertThat(health(health).at("/followers/trust/lastError").asText())
                        .contains("unreachable");
                assertThat(region.metrics().render()).contains("healthcode_follower_up{follower=\"trust\"} 0");
                assertThat(trust.current())
                        .as("the last good list, still in use")
                        .isPresent();

                // the hub is back, and has enrolled Shanghai meanwhile: the region picks up the newer list by itself
                hub = startHub(hubPort, hubPki, List.of(enrolGuangdong, enrolShanghai));
                await().atMost(WAIT).until(() -> regions(trust).contains(SHANGHAI));
                assertThat(trust.current().orElseThrow().bundle().serial()).isGreaterThan(before);
                await().atMost(WAIT)
                        .until(() -> health(health).get("status").asText().equals("ok"));
                assertThat(trustUp(health(health))).isTrue();
                assertThat(region.metrics().render()).contains("healthcode_follower_up{follower=\"trust\"} 1");
            }
        } finally {
            hub.close();
        }
    }

    /** The hub on a fixed port and data directory, so that a restart is the same hub at the same address. */
    private HubNode startHub(int port, Path pki, List<Path> enrol) throws Exception {
        InteropConfig options = InteropConfig.defaults()
                .withMode(InteropConfig.MODE_HUB)
                .withAccess(null, false, port, pki, InteropConfig.DEFAULT_RATES)
                .withHub(null, null, enrol, Map.of());
        return HubNode.start(
                new ServeConfig(null, "status", dir.resolve("hub"), "127.0.0.1", 0, 16).withInterop(options),
                AuditSink.DISCARD);
    }

    /** The same options with a trust-list refresh every second, so the outage is noticed within the test. */
    private static InteropConfig refreshEverySecond(InteropConfig o) {
        return new InteropConfig(
                o.mode(),
                o.region(),
                o.apiKeysFile(),
                o.devOpenLookups(),
                o.tlsPort(),
                o.pkiDir(),
                o.ratePerSecond(),
                o.topicPrefix(),
                o.hubUrl(),
                o.hubKeyFile(),
                o.enrolFiles(),
                Duration.ofSeconds(1),
                o.trustWarnBefore(),
                o.peers(),
                o.federatedValidity());
    }

    private static List<String> regions(TrustListClient trust) {
        return trust.current()
                .map(c -> c.bundle().lists().stream()
                        .map(org.healthcode.codes.trust.TrustList::region)
                        .sorted()
                        .toList())
                .orElse(List.of());
    }

    private static boolean trustUp(JsonNode health) {
        return health.at("/followers/trust/up").asBoolean(false);
    }

    private JsonNode health(URI uri) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode())
                .as("/health answers while a follower is down")
                .isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static RegionCodes codesOf(String code, Path data) throws Exception {
        return RegionCodes.open(CodesConfig.defaults(code, data.resolve("view").resolve("codes")), now());
    }

    private static Instant now() {
        return Instant.now();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
