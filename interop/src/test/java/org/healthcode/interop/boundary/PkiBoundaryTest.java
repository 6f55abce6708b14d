package org.healthcode.interop.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.interop.HubNode;
import org.healthcode.interop.ServingNode;
import org.healthcode.interop.TestCertificates;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.security.CertificateAuthority;
import org.healthcode.interop.security.NodePki;
import org.healthcode.interop.security.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks the certificate boundary of a region node and the hub: the CA's key stays with {@code ./healthcode access},
 * a certificate is used only for what it was issued for, a caller acts in its own region only, and a revoked
 * certificate is refused once the region has taken the hub's revocation list.
 */
class PkiBoundaryTest {
    private static final String REGION = "440000";
    private static final String OTHER = "310000";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static TestCertificates certs;
    private static Path hubPki;
    private static Path regionPki;
    private static HubNode hub;
    private static ServingNode region;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), 0);
        Topics.ensure(broker.bootstrapServers(), List.of(Topics.compacted("status", 1)));
        certs = TestCertificates.in(dir);
        hubPki = certs.hub(dir.resolve("hub-pki"));
        regionPki = certs.region(REGION, dir.resolve("region-pki"));
        hub = HubNode.start(
                new ServeConfig(null, "status", dir.resolve("hub"), "127.0.0.1", 0, 16)
                        .withInterop(InteropConfig.defaults()
                                .withMode(InteropConfig.MODE_HUB)
                                .withAccess(null, false, 0, hubPki, InteropConfig.DEFAULT_RATES)),
                AuditSink.DISCARD);
        InteropConfig options = InteropConfig.defaults()
                .withRegion(REGION, "")
                .withAccess(null, false, 0, regionPki, InteropConfig.DEFAULT_RATES)
                .withHub(hub.baseUri(), hub.hub().publicKeyFile(), List.of(), Map.of());
        region = ServingNode.start(
                new ServeConfig(broker.bootstrapServers(), "status", dir.resolve("view"), "127.0.0.1", -1, 16)
                        .withInterop(options),
                AuditSink.DISCARD);
    }

    @AfterAll
    static void stop() {
        if (region != null) {
            region.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aNodeServesMutualTlsWithItsOwnCertificatesAndTheCaCertificateButNeverTheCaKey() throws Exception {
        try (Stream<Path> files = Files.list(regionPki)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "ca.crt", "server.p12", "server.p12.password", "client.p12", "client.p12.password");
        }
        for (Path nodeDir : List.of(dir.resolve("view"), dir.resolve("hub"), regionPki, hubPki)) {
            try (Stream<Path> files = Files.walk(nodeDir)) {
                assertThat(files.map(f -> f.getFileName().toString())).doesNotContain("ca.p12", "ca.password");
            }
        }
        HttpResponse<String> r = get(client(certs.caller("gate-1", Role.CHECKPOINT, REGION)), "/v1/status/alice");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown_person");
        // a node pointed at the CA's own directory refuses to start rather than hold the key
        assertThatThrownBy(() -> NodePki.load(certs.ca().directory(), null))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("CA's key");
    }

    @Test
    void aClientCertificateCannotServeAndAServerCertificateCannotCall() throws Exception {
        SSLContext nodeAsClient = NodePki.load(regionPki, null).clientContext();
        // a server presenting a caller's certificate: the region refuses to talk to it
        CertificateAuthority.Issued callerCert = certs.issueCaller("gate-2", Role.CHECKPOINT, REGION);
        assertThat(handshake(certs.context(callerCert), nodeAsClient)).isInstanceOf(SSLException.class);
        // the same with a certificate issued for server use: the handshake completes (the check above can fail)
        CertificateAuthority.Issued serverCert = certs.ca()
                .issue(
                        "peer",
                        Role.REGION,
                        OTHER,
                        CertificateAuthority.Usage.SERVER,
                        CertificateAuthority.loopbackHosts(),
                        dir.resolve("peer-server.p12"));
        assertThat(handshake(certs.context(serverCert), nodeAsClient)).isNull();

        // a caller presenting the node's server certificate is refused; its client certificate is taken
        SSLContext serverAsCaller = NodePki.callerContext(
                regionPki.resolve(NodePki.SERVER_KEY_STORE), regionPki.resolve(CertificateAuthority.CA_CERT));
        assertThatThrownBy(() -> get(client(serverAsCaller), "/v1/status/alice"))
                .isInstanceOf(IOException.class);
        assertThat(get(client(nodeAsClient), "/v1/status/alice").statusCode()).isEqualTo(404);
    }

    @Test
    void anOperatorCertificateOfAnotherRegionReadsNeitherTheAuditNorStatusesHere() throws Exception {
        HttpClient stranger = client(certs.caller("ops-wang", Role.OPERATOR, OTHER));
        for (String path : List.of("/v1/audit?caller=ops-wang", "/v1/status/alice")) {
            HttpResponse<String> r = get(stranger, path);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).contains("wrong_region");
        }
        HttpResponse<String> own =
                get(client(certs.caller("ops-li", Role.OPERATOR, REGION)), "/v1/audit?caller=ops-li");
        assertThat(own.statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedCertificateIsRefusedOnceTheRegionTookTheHubsRevocationList() throws Exception {
        CertificateAuthority.Issued gate = certs.issueCaller("gate-9", Role.CHECKPOINT, REGION);
        HttpClient kept = client(certs.context(gate));
        assertThat(get(kept, "/v1/status/alice").statusCode()).isEqualTo(404);

        Path crl = certs.ca().revoke(gate.serial());
        Files.copy(crl, hubPki.resolve(CertificateAuthority.CRL), StandardCopyOption.REPLACE_EXISTING);
        // revoked at the CA and published at the hub, but the region has not refreshed: still answered
        assertThat(get(kept, "/v1/status/alice").statusCode()).isEqualTo(404);

        await().atMost(WAIT).until(() -> {
            region.interop().refreshTrust();
            return region.interop().pki().orElseThrow().revocations().current().isPresent();
        });
        // the connection kept open is refused at its next request, a new one at the handshake
        HttpResponse<String> onKeptConnection = get(kept, "/v1/status/alice");
        assertThat(onKeptConnection.statusCode()).isEqualTo(401);
        assertThat(onKeptConnection.body()).contains("revoked");
        assertThatThrownBy(() -> get(client(certs.context(gate)), "/v1/status/alice"))
                .isInstanceOf(IOException.class);
        // another certificate of the same caller name is not revoked
        assertThat(get(client(certs.caller("gate-9", Role.CHECKPOINT, REGION)), "/v1/status/alice")
                        .statusCode())
                .isEqualTo(404);
        // the region keeps the list for its next start
        assertThat(dir.resolve("view").resolve("trust").resolve("crl.pem")).exists();
    }

    /** A TLS server on a free port presenting {@code server}'s certificate; the client's failure, or null. */
    private static Exception handshake(SSLContext server, SSLContext client) throws Exception {
        try (SSLServerSocket listening =
                (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listening.accept()) {
                    s.startHandshake();
                } catch (IOException e) {
                    // the client gave up: what the test looks at is the client's side
                }
            });
            try (SSLSocket s =
                    (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", listening.getLocalPort())) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                return null;
            } catch (SSLException e) {
                return e;
            } finally {
                accepted.get();
            }
        }
    }

    private static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .build();
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        URI base = region.baseUri();
        return client.send(
                HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
