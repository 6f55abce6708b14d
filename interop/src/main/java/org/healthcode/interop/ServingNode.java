package org.healthcode.interop;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.healthcode.codes.keys.OwnerOnly;
import org.healthcode.contracts.areas.RiskAreaListing;
import org.healthcode.contracts.vehicles.VehicleCases;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.api.LookupAdmission;
import org.healthcode.interop.api.ServingHandler;
import org.healthcode.interop.api.StatusLookupService;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.citizen.AddressRateLimit;
import org.healthcode.interop.citizen.CitizenHandler;
import org.healthcode.interop.citizen.CompactedTopicFollower;
import org.healthcode.interop.citizen.DeclaredStays;
import org.healthcode.interop.citizen.FellowTravellerCheck;
import org.healthcode.interop.citizen.RiskAreas;
import org.healthcode.interop.codes.CodeServing;
import org.healthcode.interop.config.CodesServeConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.interop.corrections.CorrectionsHandler;
import org.healthcode.interop.declarations.DeclarationsHandler;
import org.healthcode.interop.http.JsonErrorHandler;
import org.healthcode.interop.http.RequestLimits;
import org.healthcode.interop.http.SourceRateLimit;
import org.healthcode.interop.metrics.ServingMetrics;
import org.healthcode.interop.overrides.OverridesHandler;
import org.healthcode.interop.sources.StatusConsumer;
import org.healthcode.interop.store.StatusView;

/**
 * One serving process's parts wired together: the status view, the consumer that feeds it and the HTTP server that
 * reads it. Started by {@link ServeMain}, and by tests the same way.
 */
public final class ServingNode implements AutoCloseable {
    private final StatusView view;
    private final StatusConsumer consumer;
    private final Server server;
    private final ServerConnector connector;
    private final ServingMetrics metrics;
    /** Access control, audit topic, exchange and trust list; closed with the node. */
    private InteropServing interop;

    private OverridesHandler overrides;
    private DeclarationsHandler declarations;
    private CorrectionsHandler corrections;
    private CompactedTopicFollower<VehicleCases> vehicleCases;
    private CompactedTopicFollower<RiskAreaListing> riskAreaListings;
    private DeclaredStays declaredStays;
    private final CodeServing codes;
    private boolean closed;

    private ServingNode(
            StatusView view,
            StatusConsumer consumer,
            Server server,
            ServerConnector connector,
            ServingMetrics metrics,
            CodeServing codes) {
        this.codes = codes;
        this.view = view;
        this.consumer = consumer;
        this.server = server;
        this.connector = connector;
        this.metrics = metrics;
    }

    /** Opens the view, starts following the topic and starts answering HTTP. */
    public static ServingNode start(ServeConfig config, AuditSink audit) throws Exception {
        return start(config, config.codes(), audit);
    }

    /** As {@link #start(ServeConfig, AuditSink)}, with these codes and checkpoints options instead of the config's. */
    public static ServingNode start(ServeConfig config, CodesServeConfig codesConfig, AuditSink audit)
            throws Exception {
        return start(config, codesConfig, KafkaClientSettings.NONE, audit);
    }

    /** As above, with the client settings of {@code --kafka-config} for every Kafka client. */
    public static ServingNode start(
            ServeConfig config, CodesServeConfig codesConfig, KafkaClientSettings kafka, AuditSink audit)
            throws Exception {
        if (config.interop() != null && !config.boundaryProblems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", config.boundaryProblems()));
        }
        // the view, the audit index, the signing keys and the exchange state live here: the owner's alone
        OwnerOnly.directory(config.dataDir());
        ServingMetrics metrics = new ServingMetrics();
        InteropServing interop = InteropServing.open(
                config.interop(),
                config.bootstrapServers(),
                kafka,
                config.dataDir(),
                metrics,
                audit,
                Clock.systemUTC());
        audit = interop.audit();
        StatusView view;
        try {
            view = StatusView.open(config.dataDir());
        } catch (Exception e) {
            interop.close();
            throw e;
        }
        StatusConsumer consumer = null;
        Server server = null;
        CodeServing codes = null;
        OverridesHandler overrides = null;
        DeclarationsHandler declarations = null;
        CorrectionsHandler corrections = null;
        CompactedTopicFollower<VehicleCases> vehicleCases = null;
        CompactedTopicFollower<RiskAreaListing> riskAreaListings = null;
        DeclaredStays declaredStays = null;
        try {
            declarations = DeclarationsHandler.open(
                    config.bootstrapServers(),
                    kafka,
                    config.interop().topicPrefix(),
                    config.interop().region(),
                    audit,
                    Clock.systemUTC());
            overrides = OverridesHandler.open(
                    config.dataDir(),
                    config.bootstrapServers(),
                    kafka,
                    config.interop().topicPrefix(),
                    config.interop().region(),
                    Clock.systemUTC());
            corrections = CorrectionsHandler.open(
                    config.dataDir(),
                    config.bootstrapServers(),
                    kafka,
                    config.interop().topicPrefix(),
                    config.interop().region(),
                    audit,
                    interop.auditLog().orElseThrow(),
                    Clock.systemUTC());
            codes = CodeServing.open(
                    codesConfig,
                    config.dataDir(),
                    config.bootstrapServers(),
                    kafka,
                    view,
                    audit,
                    Clock.systemUTC(),
                    config.maxInFlight(),
                    interop.trust());
            vehicleCases = new CompactedTopicFollower<>(
                            config.bootstrapServers(),
                            kafka,
                            config.interop().topicPrefix() + "vehicle-cases",
                            VehicleCases::parse)
                    .start();
            riskAreaListings = new CompactedTopicFollower<>(
                            config.bootstrapServers(),
                            kafka,
                            config.interop().topicPrefix() + "risk-areas",
                            RiskAreaListing::parse)
                    .start();
            CompactedTopicFollower<VehicleCases> vehicles = vehicleCases;
            CompactedTopicFollower<RiskAreaListing> listings = riskAreaListings;
            declaredStays = new DeclaredStays(
                            config.bootstrapServers(),
                            kafka,
                            config.interop().topicPrefix() + DeclarationsHandler.TOPIC,
                            Clock.systemUTC())
                    .start();
            DeclaredStays declared = declaredStays;
            consumer = new StatusConsumer(config.bootstrapServers(), kafka, config.statusTopic(), view, metrics);
            StatusLookupService lookups = new StatusLookupService(view, audit, metrics, Clock.systemUTC());
            CitizenHandler citizen = new CitizenHandler(
                    new FellowTravellerCheck(vehicles::get),
                    new AddressRateLimit(CitizenHandler.SELF_CHECKS_PER_MINUTE, Clock.systemUTC()),
                    vehicles::caughtUp,
                    new RiskAreas(listings::values, listings::get, declared::of),
                    lookups,
                    Clock.systemUTC());
            StatusConsumer c = consumer;
            ServingHandler handler = new ServingHandler(
                    lookups,
                    metrics,
                    () -> new ServingHandler.Health(
                            view.isOpen(),
                            c.isRunning(),
                            c.assignedPartitions(),
                            metrics.consumerLag(),
                            metrics.followers()),
                    codes.handler());
            handler.federatedAs(interop.federated());
            ServeConfig.Admission admission = config.admission();
            LookupAdmission[] admit = new LookupAdmission[1];
            Handler access = interop.wrap(
                    new Handler.Sequence(overrides, corrections, declarations, citizen, handler),
                    lookups,
                    view,
                    inner -> admit[0] = new LookupAdmission(
                            inner,
                            lookups,
                            admission.maxLookupsInFlight(),
                            admission.maxQueued(),
                            Duration.ofMillis(admission.maxQueueMillis())));
            metrics.bind(view::approximatePersons, consumer::isRunning, handler::inFlight);
            metrics.bindQueued(admit[0]::queued);
            metrics.bindViewAge(consumer::viewAgeMillis);
            lookups.requireFreshView(consumer::viewAgeMillis, admission.maxViewAgeMillis());

            QueuedThreadPool pool = threadPool(admission.httpThreads());
            server = new Server(pool);
            ServerConnector connector = null;
            if (config.httpPort() >= 0) {
                connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(httpConfiguration()));
                connector.setHost(config.httpHost());
                connector.setPort(config.httpPort());
                connector.setReusePort(config.reusePort());
                server.addConnector(connector);
            }
            // body limits and the catch-all first; then the limit per source address, before anything costs a key
            // check; then access control; then admission, so only authenticated lookups wait for a slot
            metrics.bindWaitingForThread(pool::getQueueSize);
            server.setHandler(new RequestLimits(
                    new SourceRateLimit(access, admission.perAddressPerSecond(), metrics, Clock.systemUTC())));
            server.setErrorHandler(new JsonErrorHandler());
            interop.addConnectors(server, config.httpHost());
            server.setStopTimeout(5_000);
            consumer.start();
            server.start();
            // the keys the codes are signed with (one key ring per process: --key-dir and rotation apply to both)
            interop.start(config.interop().hubUrl() == null ? Optional.empty() : Optional.of(codes.codes()));
            ServingNode node = new ServingNode(view, consumer, server, connector, metrics, codes);
            node.interop = interop;
            node.overrides = overrides;
            node.declarations = declarations;
            node.corrections = corrections;
            node.vehicleCases = vehicleCases;
            node.riskAreaListings = riskAreaListings;
            node.declaredStays = declaredStays;
            return node;
        } catch (Exception e) {
            if (server != null) {
                server.stop();
            }
            if (consumer != null) {
                consumer.close();
            }
            if (codes != null) {
                codes.close();
            }
            closeEach(overrides, declarations, corrections, vehicleCases, riskAreaListings, declaredStays);
            view.close();
            interop.close();
            throw e;
        }
    }

    /**
     * The HTTP threads: a fixed, small pool suited to a few cores. Lookups beyond the in-flight limit wait in
     * {@link LookupAdmission}'s queue without a thread, so more threads would only add context switches; the queue
     * in front of the pool is bounded by the number of connections (one request each on HTTP/1.1).
     */
    private static QueuedThreadPool threadPool(int threads) {
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(threads, 8));
        pool.setName("http");
        return pool;
    }

    /** HTTP/1.1 keep-alive (Jetty's default), without the server's version in every response. */
    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        return http;
    }

    /**
     * The base URL lookups are answered at, e.g. {@code http://127.0.0.1:8080}; the HTTPS one when plain HTTP is
     * off ({@code --http-port -1}).
     */
    public URI baseUri() {
        if (connector == null) {
            return interop.tlsUri().orElseThrow();
        }
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0")
                ? "127.0.0.1"
                : connector.getHost();
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    /** The cross-region parts: mutual-TLS URL, trust list, audit log, exchange pusher. */
    public InteropServing interop() {
        return interop;
    }

    public ServingMetrics metrics() {
        return metrics;
    }

    public StatusConsumer consumer() {
        return consumer;
    }

    /** The vehicles' case records this node answers self-checks from. */
    public CompactedTopicFollower<VehicleCases> vehicleCases() {
        return vehicleCases;
    }

    /** The risk-area listings this node answers from. */
    public CompactedTopicFollower<RiskAreaListing> riskAreaListings() {
        return riskAreaListings;
    }

    /** The people's recent declared stops this node shows among their stays in risk areas. */
    public DeclaredStays declaredStays() {
        return declaredStays;
    }

    /** Closes, in order, the optional parts this node has (null where it was started without one). */
    private static void closeEach(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Codes and checkpoints of this node (keys, cache). */
    public CodeServing codes() {
        return codes;
    }

    /** Stops HTTP first (no lookup may touch a closed view), then the consumer, then flushes and closes the view. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway: the view below must still be closed cleanly
        }
        consumer.close();
        interop.close();
        codes.close();
        closeEach(overrides, declarations, corrections, vehicleCases, riskAreaListings, declaredStays);
        view.close();
    }
}
