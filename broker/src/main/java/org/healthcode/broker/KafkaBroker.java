package org.healthcode.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM, on 127.0.0.1.
 *
 * <p>For the one-machine demo and for tests that need a real broker: transactions, {@code read_committed},
 * compaction all behave as in production. Storage is formatted on the first start in a data directory and reused
 * on later starts (topics, offsets and committed transactions survive a restart).
 *
 * <p>Settings that differ from Kafka's defaults, and why:
 * <ul>
 *   <li>replication factor 1 (and min ISR 1) for the internal topics: consumer offsets, transaction state and
 *       share-group state; one node cannot hold more replicas;</li>
 *   <li>{@code auto.create.topics.enable=false}: a typo in a topic name fails loudly instead of making a new topic
 *       (create topics with {@link Topics});</li>
 *   <li>4 partitions instead of 50 for the offsets and transaction-state topics: they start faster and one node
 *       gains nothing from more.</li>
 * </ul>
 * {@code transaction.max.timeout.ms} keeps Kafka's default, {@value #TRANSACTION_MAX_TIMEOUT_MS} ms (15 min).
 * Transactional producers must set {@code transaction.timeout.ms} to at most that: Flink's KafkaSink defaults to one
 * hour and is then refused by the broker ({@code InvalidTxnTimeoutException}); 60000 is a good value.
 *
 * <p>The controller listens on a port of its own; the controller quorum is configured statically
 * ({@code controller.quorum.voters}) rather than stored in the log, so a restart may use different ports.
 * Port 0 picks free ports by probing: another process may take the port between probe and bind (then start fails
 * with a bind error; retry).
 */
public final class KafkaBroker implements AutoCloseable {
    /** Kafka's default {@code transaction.max.timeout.ms}, which this broker keeps. */
    public static final int TRANSACTION_MAX_TIMEOUT_MS = 900_000;

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final BrokerSecurity security;
    private boolean closed;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, BrokerSecurity security) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.security = security;
    }

    /**
     * Starts a broker keeping its data under {@code dataDir} (created if missing; formatted on first use), with its
     * client listener on {@code port} (0 = a free port). Returns once the broker answers a metadata request.
     */
    public static KafkaBroker start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, null);
    }

    /**
     * As {@link #start(Path, int)}, secured by {@code security} when it is not null: SASL_SSL on every listener,
     * SCRAM users created at the first start, ACLs required for everything but the admin. Plaintext clients and
     * wrong passwords are refused.
     */
    public static KafkaBroker start(Path dataDir, int port, BrokerSecurity security) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Path dir = dataDir.toAbsolutePath();
        Path logDir = dir.resolve("kraft-logs");
        Files.createDirectories(logDir);
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        Properties props = serverProperties(logDir, brokerPort, controllerPort);
        if (security != null) {
            security.applyTo(props, brokerPort, controllerPort, HOST);
        }
        // Written for the storage tool (it reads a file) and for whoever debugs the data directory.
        Path propsFile = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "written by KafkaBroker on every start; edits are overwritten");
        }
        if (security != null) { // it holds the admin's and the key store's passwords
            Files.setPosixFilePermissions(
                    propsFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        formatIfNeeded(logDir, propsFile, security == null ? List.of() : security.formatArguments());

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        String bootstrap = HOST + ":" + brokerPort;
        KafkaBroker broker = new KafkaBroker(server, bootstrap, dir, security);
        try {
            server.startup();
            awaitReady(broker.adminProperties());
        } catch (RuntimeException | IOException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Settings of an admin client of this broker: {@code bootstrap.servers}, and with security the super user's
     * SASL_SSL login.
     */
    public Properties adminProperties() {
        Properties p = security == null ? new Properties() : security.clientProperties(security.adminUser());
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** The data directory this broker keeps its log and metadata in. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker cleanly and waits for it (logs flushed, log-dir lock released). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties serverProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(NODE_ID));
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.setProperty(
                "listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static void formatIfNeeded(Path logDir, Path propsFile, List<String> extra) throws IOException {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return; // formatted before: formatting again would need the same cluster id; --ignore-formatted is a second
            // guard
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            List<String> args = new ArrayList<>(List.of(
                    "format",
                    "--cluster-id",
                    Uuid.randomUuid().toString(),
                    "--config",
                    propsFile.toString(),
                    "--ignore-formatted"));
            args.addAll(extra);
            rc = StorageTool.execute(args.toArray(String[]::new), out);
        }
        if (rc != 0) {
            throw new IOException("formatting Kafka storage in " + logDir + " failed (exit " + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private static void awaitReady(Properties p) throws IOException {
        String bootstrap = p.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(READY_TIMEOUT.toMillis()));
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException(
                                "Kafka broker at " + bootstrap + " not ready after " + READY_TIMEOUT.toSeconds() + " s",
                                e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("Kafka broker at " + bootstrap + " reports no nodes after "
                            + READY_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Kafka broker", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
