package org.healthcode.interop;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.healthcode.codes.trust.TrustListJson;
import org.healthcode.contracts.topics.TopicSetup;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.KafkaAuditSink;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.http.AccessControlHandler;
import org.healthcode.interop.http.JsonErrorHandler;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.NodePki;
import org.healthcode.interop.security.RateLimiter;
import org.healthcode.interop.security.Role;
import org.healthcode.interop.trust.HubHandler;
import org.healthcode.interop.trust.TrustHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving process in hub mode ({@code --mode hub}): the national trust-list hub over mutual TLS only. Its
 * registry and key live under {@code <data-dir>}; the public key is written to {@code <data-dir>/hub-key.pub}.
 * Audit records go to the audit topic when {@code --bootstrap-servers} is given, else to the log.
 */
public final class HubNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubNode.class);
    /** How long a published national trust list may be used offline. */
    public static final Duration BUNDLE_VALIDITY = Duration.ofDays(7);

    private final Server server;
    private final ServerConnector connector;
    private final TrustHub hub;
    private final KafkaAuditSink kafkaAudit;

    private HubNode(Server server, ServerConnector connector, TrustHub hub, KafkaAuditSink kafkaAudit) {
        this.server = server;
        this.connector = connector;
        this.hub = hub;
        this.kafkaAudit = kafkaAudit;
    }

    public static HubNode start(ServeConfig config, AuditSink audit) throws Exception {
        return start(config, KafkaClientSettings.NONE, audit);
    }

    /** As above, with the client settings of {@code --kafka-config} for the audit topic. */
    public static HubNode start(ServeConfig config, KafkaClientSettings kafkaSettings, AuditSink audit)
            throws Exception {
        InteropConfig ic = config.interop();
        Clock clock = Clock.systemUTC();
        // the hub's signing key lives here
        org.healthcode.codes.keys.OwnerOnly.directory(config.dataDir());
        TrustHub hub = TrustHub.open(
                org.healthcode.codes.keys.OwnerOnly.directory(config.dataDir().resolve("hub")), clock, BUNDLE_VALIDITY);
        for (Path f : ic.enrolFiles()) {
            if (hub.enrol(TrustListJson.read(f))) {
                LOG.info("enrolled region from {}", f);
            }
        }
        KafkaAuditSink kafka = null;
        if (config.bootstrapServers() != null) {
            TopicSetup.ensureCatalogueTopics(
                    config.bootstrapServers(),
                    kafkaSettings.properties(),
                    ic.topicPrefix(),
                    java.util.List.of("audit"),
                    java.util.Optional.empty());
            kafka = new KafkaAuditSink(config.bootstrapServers(), kafkaSettings, ic.auditTopic(), audit);
            audit = kafka;
        }
        NodePki pki = NodePki.load(ic.effectivePkiDir(config.dataDir()), null);
        InteropServing.checkNodeIdentity(pki, Role.HUB, InteropConfig.HUB_REGION);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("hub-http");
        Server server = new Server(threads);
        ServerConnector connector =
                InteropServing.httpsConnector(server, pki.serverContext(), config.httpHost(), ic.tlsPort());
        server.addConnector(connector);
        ApiKeys keys = ic.apiKeysFile() == null ? ApiKeys.none() : ApiKeys.load(ic.apiKeysFile());
        HubHandler handler = new HubHandler(hub, pki.revocations(), audit, clock);
        server.setHandler(new RequestLimits(new AccessControlHandler(
                handler,
                keys,
                new RateLimiter(ic.ratePerSecond(), clock),
                false,
                InteropConfig.HUB_REGION,
                audit,
                new ServingMetrics(),
                clock,
                pki.revocations())));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
        server.start();
        LOG.info("hub public key: {}", hub.publicKeyFile());
        return new HubNode(server, connector, hub, kafka);
    }

    public URI baseUri() {
        return URI.create("https://127.0.0.1:" + connector.getLocalPort());
    }

    public TrustHub hub() {
        return hub;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // closing anyway
        }
        if (kafkaAudit != null) {
            kafkaAudit.close();
        }
    }
}
