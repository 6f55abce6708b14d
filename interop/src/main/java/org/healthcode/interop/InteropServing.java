package org.healthcode.interop;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.contracts.topics.TopicSetup;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.api.InteropHandler;
import org.healthcode.interop.api.StatusLookupService;
import org.healthcode.interop.audit.AuditLog;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.audit.KafkaAuditSink;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.exchange.ExchangeInbox;
import org.healthcode.interop.exchange.ExchangePusher;
import org.healthcode.interop.federation.FederatedStatus;
import org.healthcode.interop.http.AccessControlHandler;
import org.healthcode.interop.metrics.FollowerState;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.security.ApiKeys;
import org.healthcode.interop.security.NodePki;
import org.healthcode.interop.security.RateLimiter;
import org.healthcode.interop.security.Role;
import org.healthcode.interop.store.StatusView;
import org.healthcode.interop.trust.HubRegistrar;
import org.healthcode.interop.trust.TrustListClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-region parts of a region's serving process, wired in one place: access control in front of every handler,
 * the mutual-TLS connector, the audit topic and its queryable log, the exchange inbox and pusher, and the national
 * trust list (registration at the hub, scheduled refresh). {@link ServingNode} creates it and hands it its handler.
 */
public final class InteropServing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InteropServing.class);
    /** Where the hub serves the CA's revocation list, and the file a region keeps its last copy in. */
    public static final String HUB_CRL_PATH = "/v1/trust-list/crl";

    private static final String CRL_FROM_HUB = "crl.pem";
    /** The catalogue topics the serving process creates when they are missing. */
    static final List<String> TOPICS = List.of("audit", "interop", "declarations", "exchange-out");

    private final InteropConfig config;
    private final Path dataDir;
    private final Clock clock;
    private final ServingMetrics metrics;
    private final AuditSink audit;
    private final KafkaAuditSink kafkaAudit;
    private final AuditLog auditLog;
    private final FederatedStatus federated;
    private final ApiKeys apiKeys;
    private final NodePki pki;
    private final SSLContext tls;
    private final HttpClient peerHttp;
    private final ExchangeInbox inbox;
    private final ExchangePusher pusher;
    private final TrustListClient trust;
    private final ScheduledExecutorService scheduler;
    private ServerConnector tlsConnector;
    private final FollowerState.Backoff trustBackoff = new FollowerState.Backoff(Duration.ofMinutes(5));
    /** This region's signing keys, when it issues codes: registered at the hub at start and when they change. */
    private volatile RegionCodes ownKeys;
    /** The key ids of the list the hub last accepted from this region (empty before the first registration). */
    private volatile java.util.Set<String> registeredKids = java.util.Set.of();

    private InteropServing(
            InteropConfig config,
            Path dataDir,
            Clock clock,
            ServingMetrics metrics,
            AuditSink audit,
            KafkaAuditSink kafkaAudit,
            AuditLog auditLog,
            ApiKeys apiKeys,
            NodePki pki,
            SSLContext tls,
            ExchangeInbox inbox,
            ExchangePusher pusher,
            TrustListClient trust,
            HttpClient peerHttp) {
        this.config = config;
        this.dataDir = dataDir;
        this.clock = clock;
        this.metrics = metrics;
        this.audit = audit;
        this.kafkaAudit = kafkaAudit;
        this.auditLog = auditLog;
        this.federated = new FederatedStatus(config.region(), config.federatedValidity(), clock);
        this.apiKeys = apiKeys;
        this.pki = pki;
        this.tls = tls;
        this.inbox = inbox;
        this.pusher = pusher;
        this.trust = trust;
        this.peerHttp = peerHttp;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trust-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /** Opens everything that needs no HTTP server yet; {@code audit} receives every record besides the topic. */
    public static InteropServing open(
            InteropConfig config,
            String bootstrapServers,
            Path dataDir,
            ServingMetrics metrics,
            AuditSink audit,
            Clock clock)
            throws Exception {
        return open(config, bootstrapServers, KafkaClientSettings.NONE, dataDir, metrics, audit, clock);
    }

    /** As above, with the client settings of {@code --kafka-config} for every Kafka client. */
    public static InteropServing open(
            InteropConfig config,
            String bootstrapServers,
            KafkaClientSettings kafkaSettings,
            Path dataDir,
            ServingMetrics metrics,
            AuditSink audit,
            Clock clock)
            throws Exception {
        if (config.devOpenLookups()) {
            LOG.warn("*** DEVELOPMENT MODE --dev-open-lookups: callers without credentials read FULL statuses as role"
                    + " app, and verify codes and record scans as whatever checkpoint they name."
                    + " Never use this outside a development machine. ***");
        }
        ApiKeys keys = config.apiKeysFile() == null ? ApiKeys.none() : ApiKeys.load(config.apiKeysFile());
        NodePki pki = null;
        SSLContext tls = null;
        HttpClient peerHttp = null;
        if (config.tlsPort() >= 0) {
            pki = NodePki.load(
                    config.effectivePkiDir(dataDir), dataDir.resolve("trust").resolve(CRL_FROM_HUB));
            checkNodeIdentity(pki, Role.REGION, config.region());
            tls = pki.serverContext();
            peerHttp = HttpClient.newBuilder()
                    .sslContext(pki.clientContext())
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        TopicSetup.ensureCatalogueTopics(
                bootstrapServers, kafkaSettings.properties(), config.topicPrefix(), TOPICS, Optional.empty());
        AuditLog log = new AuditLog(
                bootstrapServers,
                kafkaSettings,
                config.auditTopic(),
                org.healthcode.codes.keys.OwnerOnly.directory(dataDir.resolve("audit-index")),
                metrics.follower("audit"));
        KafkaAuditSink kafka = new KafkaAuditSink(bootstrapServers, kafkaSettings, config.auditTopic(), audit);
        ExchangeInbox inbox = new ExchangeInbox(
                bootstrapServers, kafkaSettings, config.interopTopic(), dataDir.resolve("exchange"), clock);
        ExchangePusher pusher = peerHttp == null
                ? null
                : new ExchangePusher(
                        bootstrapServers,
                        kafkaSettings,
                        config.outboxTopic(),
                        config.region(),
                        config.peers(),
                        peerHttp,
                        kafka,
                        metrics,
                        clock);
        TrustListClient trust = null;
        if (config.hubUrl() != null) {
            PublicKey hubKey = hubKey(config.hubKeyFile());
            trust = new TrustListClient(
                    config.hubUrl().resolve("/v1/trust-list"),
                    peerHttp,
                    hubKey,
                    new CoseCrypto(CryptoProvider.BC),
                    dataDir.resolve("trust"),
                    config.trustWarnBefore(),
                    clock);
        }
        return new InteropServing(
                config, dataDir, clock, metrics, kafka, kafka, log, keys, pki, tls, inbox, pusher, trust, peerHttp);
    }

    /** Refuses a node certificate issued for another role or region than the node serves. */
    public static void checkNodeIdentity(NodePki pki, Role role, String region) {
        var who = pki.identity()
                .orElseThrow(() -> new IllegalArgumentException(
                        "the node's server certificate names no role (OU) and region (O)"));
        if (who.role() != role || !who.region().equals(region)) {
            throw new IllegalArgumentException(
                    "the node's certificate is for a " + who.role().wireName() + " of region " + who.region()
                            + ", not a " + role.wireName() + " of region " + region);
        }
    }

    /** The hub's public key from a base64 SPKI file (as the hub writes it and {@code verify --hub-key} reads it). */
    public static PublicKey hubKey(Path file) throws Exception {
        byte[] spki =
                java.util.Base64.getMimeDecoder().decode(Files.readString(file).strip());
        return new CoseCrypto(CryptoProvider.BC).publicKeyFromSpki(CoseAlgorithm.EDDSA, spki);
    }

    /** The audit sink every handler writes to (the audit topic, then the sink given at open). */
    public AuditSink audit() {
        return audit;
    }

    public FederatedStatus federated() {
        return federated;
    }

    /**
     * Access control in front of the interop endpoints and {@code next} (the status, codes and health handler);
     * {@code admission} wraps what lies behind access control, so only authenticated lookups wait for admission.
     */
    public Handler wrap(
            Handler next,
            StatusLookupService lookups,
            StatusView view,
            java.util.function.UnaryOperator<Handler> admission) {
        RateLimiter rates = new RateLimiter(config.ratePerSecond(), clock);
        InteropHandler interop = new InteropHandler(
                lookups,
                view,
                federated,
                audit,
                Optional.of(auditLog),
                Optional.of(inbox),
                Optional.ofNullable(pusher),
                Optional.ofNullable(trust),
                config.region(),
                clock,
                rates);
        return new AccessControlHandler(
                admission.apply(new Handler.Sequence(interop, next)),
                apiKeys,
                rates,
                config.devOpenLookups(),
                config.region(),
                audit,
                metrics,
                clock,
                pki == null ? null : pki.revocations());
    }

    /** Adds the HTTPS connector with client-certificate authentication, when configured. */
    public void addConnectors(Server server, String host) {
        if (tls == null) {
            return;
        }
        tlsConnector = httpsConnector(server, tls, host, config.tlsPort());
        server.addConnector(tlsConnector);
    }

    /** An HTTPS connector that asks for (but does not require) a client certificate signed by the CA. */
    public static ServerConnector httpsConnector(Server server, SSLContext tls, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls);
        ssl.setWantClientAuth(true);
        HttpConfiguration https = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        https.addCustomizer(src);
        ServerConnector c = new ServerConnector(
                server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }

    /** Starts the background parts: audit log, pusher, registration at the hub and the trust-list schedule. */
    public void start(Optional<RegionCodes> codes) {
        auditLog.start();
        if (pusher != null) {
            pusher.start();
        }
        if (trust != null) {
            ownKeys = codes.orElse(null);
            codes.ifPresent(c -> scheduler.execute(() -> registerAtHub(c)));
            scheduler.execute(this::refreshTrustOnSchedule);
        }
    }

    /** Opens this region's signing keys where code issuing keeps them ({@code <data-dir>/codes}). */
    public RegionCodes regionCodes() throws java.io.IOException {
        return RegionCodes.open(CodesConfig.defaults(config.region(), dataDir.resolve("codes")), clock.instant());
    }

    /**
     * Registers this region's current key list at the hub, signed by its current key. Keys the hub accepted last
     * time and the list no longer has (withdrawn with {@code ./healthcode keys withdraw}, or retired) are withdrawn
     * there for good, so every region stops trusting them at its next refresh.
     */
    private synchronized void registerAtHub(RegionCodes codes) {
        try {
            org.healthcode.codes.trust.TrustList list = codes.trustList(Instant.now(clock));
            java.util.Set<String> kids = kidsOf(list);
            List<String> withdraw = registeredKids.stream()
                    .filter(k -> !kids.contains(k))
                    .sorted()
                    .toList();
            HubRegistrar.Answer a = new HubRegistrar(config.hubUrl(), peerHttp)
                    .register(list, withdraw, codes.keyRing().current(), codes);
            metrics.recordInterop("trust_register", a.accepted() ? "accepted" : "refused");
            if (a.accepted()) {
                registeredKids = kids;
                LOG.info(
                        "keys of region {} registered at the hub{}: {}",
                        config.region(),
                        withdraw.isEmpty() ? "" : " withdrawing " + withdraw,
                        a.body());
                fetchTrust();
            } else {
                LOG.error("the hub refused the keys of region {}: HTTP {} {}", config.region(), a.status(), a.body());
            }
        } catch (Exception e) {
            LOG.error("registering at the hub {} failed: {}", config.hubUrl(), e.toString());
        }
    }

    /**
     * Registers this region's keys at the hub again when they changed since the last registration (a key withdrawn
     * or rotated), then fetches the national trust list and the certificate revocation list with it (also run on
     * the schedule).
     */
    public TrustListClient.Outcome refreshTrust() {
        RegionCodes codes = ownKeys;
        if (codes != null && !kidsOf(codes.trustList(Instant.now(clock))).equals(registeredKids)) {
            registerAtHub(codes);
        }
        return fetchTrust();
    }

    private static java.util.Set<String> kidsOf(org.healthcode.codes.trust.TrustList list) {
        return list.keys().stream()
                .map(org.healthcode.codes.trust.TrustListKey::kid)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private TrustListClient.Outcome fetchTrust() {
        TrustListClient.Outcome o = trust.refresh();
        refreshRevocations();
        metrics.recordInterop("trust_refresh", o.name().toLowerCase(java.util.Locale.ROOT));
        FollowerState state = metrics.follower("trust");
        if (o == TrustListClient.Outcome.UPDATED || o == TrustListClient.Outcome.NOT_MODIFIED) {
            state.ok();
        } else {
            state.failing("trust list refresh: " + o.name().toLowerCase(java.util.Locale.ROOT));
        }
        return o;
    }

    /**
     * Fetches the hub's certificate revocation list ({@code GET /v1/trust-list/crl}) and takes it when the CA signed
     * it and it is newer than the one held; keeps it in {@code <data-dir>/trust} for the next start.
     */
    private void refreshRevocations() {
        if (pki == null) {
            return;
        }
        try {
            var resp = peerHttp.send(
                    java.net.http.HttpRequest.newBuilder(config.hubUrl().resolve(HUB_CRL_PATH))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() == 404) {
                return;
            }
            if (resp.statusCode() != 200) {
                LOG.warn("revocation list from the hub: HTTP {}; keeping the one held", resp.statusCode());
                return;
            }
            if (pki.revocations().offer(resp.body())) {
                Path file = org.healthcode.codes.keys.OwnerOnly.directory(dataDir.resolve("trust"))
                        .resolve(CRL_FROM_HUB);
                Path tmp = file.resolveSibling(CRL_FROM_HUB + ".tmp");
                Files.write(tmp, resp.body());
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.security.GeneralSecurityException e) {
            LOG.error("revocation list from the hub refused: {}", e.getMessage());
        } catch (java.io.IOException e) {
            LOG.warn("revocation list refresh from the hub failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One refresh, then the next one scheduled: after {@code --trust-refresh} when it worked, sooner (1 s doubling,
     * at most the refresh interval) when the hub could not be reached or its list was refused. Never lets an
     * exception end the schedule.
     */
    private void refreshTrustOnSchedule() {
        Duration every = config.trustRefresh();
        Duration next = every;
        try {
            TrustListClient.Outcome o = refreshTrust();
            if (o == TrustListClient.Outcome.UPDATED || o == TrustListClient.Outcome.NOT_MODIFIED) {
                trustBackoff.reset();
            } else {
                next = min(trustBackoff.next(), every);
            }
        } catch (RuntimeException e) {
            metrics.follower("trust").failing(e.toString());
            LOG.error("trust list refresh failed", e);
            next = min(trustBackoff.next(), every);
        }
        try {
            scheduler.schedule(this::refreshTrustOnSchedule, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public Optional<TrustListClient> trust() {
        return Optional.ofNullable(trust);
    }

    public Optional<AuditLog> auditLog() {
        return Optional.of(auditLog);
    }

    public Optional<ExchangePusher> pusher() {
        return Optional.ofNullable(pusher);
    }

    public Optional<NodePki> pki() {
        return Optional.ofNullable(pki);
    }

    /** The HTTPS URL (mutual TLS), when configured. */
    public Optional<URI> tlsUri() {
        return tlsConnector == null
                ? Optional.empty()
                : Optional.of(URI.create("https://127.0.0.1:" + tlsConnector.getLocalPort()));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (pusher != null) {
            pusher.close();
        }
        auditLog.close();
        inbox.close();
        kafkaAudit.close();
    }
}
