package org.healthcode.interop.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Everything the serving process can be told, with its defaults beside its keys: the status view and HTTP here,
 * access control and cross-region work in {@link #interop}, codes and checkpoints in {@link #codes}. {@link #parse}
 * (one picocli command line, {@link ServeOptions}) and {@link #validate} collect every problem, so one start reports
 * them all.
 *
 * @param bootstrapServers Kafka to read the status topic from ({@code --bootstrap-servers}, required)
 * @param statusTopic      the compacted status topic ({@code --status-topic}, default {@value #DEFAULT_STATUS_TOPIC})
 * @param dataDir          the RocksDB directory of the status view and its topic positions ({@code --data-dir},
 *                         required; delete it to rebuild the view from the start of the topic)
 * @param httpHost         the address to listen on ({@code --http-host}, default {@value #DEFAULT_HTTP_HOST}; use
 *                         0.0.0.0 to serve other machines)
 * @param httpPort         the HTTP port ({@code --http-port}, default {@value #DEFAULT_HTTP_PORT}; 0 = a free port;
 *                         -1 = no plain HTTP, only the TLS port of {@link InteropConfig#tlsPort})
 * @param maxInFlight      code requests (issue, verify) handled at once ({@code --max-in-flight}, default
 *                         {@value #DEFAULT_MAX_IN_FLIGHT}): a few per core, since each costs a signature; beyond, 503
 *                         {@code overloaded} at once. Lookups have their own bound ({@link Admission})
 * @param interop          access control and cross-region options ({@link InteropConfig})
 * @param admission        the lookup queue and the HTTP thread pool
 * @param codes            codes and checkpoints ({@link CodesServeConfig}); its region is {@code interop}'s
 * @param reusePort        share the HTTP port with other serving processes on this machine ({@code --reuse-port},
 *                         SO_REUSEPORT: the kernel spreads new connections over every process listening on it;
 *                         each must be started with the flag, by the same user, with its own {@code --data-dir})
 */
public record ServeConfig(
        String bootstrapServers,
        String statusTopic,
        Path dataDir,
        String httpHost,
        int httpPort,
        int maxInFlight,
        InteropConfig interop,
        Admission admission,
        CodesServeConfig codes,
        boolean reusePort) {
    /**
     * How many lookups are admitted, how the rest wait, and the threads that read requests.
     *
     * @param maxQueued      lookups waiting for admission at most ({@code --max-queued}, default
     *                       {@value #DEFAULT_MAX_QUEUED}); one more is answered 503 {@code overloaded} at once
     * @param maxQueueMillis how long a lookup may wait for admission ({@code --max-queue-ms}, default
     *                       {@value #DEFAULT_MAX_QUEUE_MILLIS}); then 503 {@code overloaded}: the bound on the
     *                       queueing part of an admitted lookup's latency
     * @param httpThreads    the HTTP server's thread pool ({@code --http-threads}, default {@value #DEFAULT_HTTP_THREADS}):
     *                       lookups waiting for admission hold none, so a small pool suits a small machine
     * @param perAddressPerSecond requests per second from one source address, before authentication
     *                       ({@code --rate-per-address}, default {@value #DEFAULT_PER_ADDRESS}; 0 = no limit, e.g.
     *                       behind a proxy that limits instead)
     * @param maxViewAgeMillis lookups are refused (503 {@code view_stale}) while the status view has not caught up
     *                       with its topic for longer than this ({@code --max-view-age-ms}, default
     *                       {@value #DEFAULT_MAX_VIEW_AGE_MILLIS}; 0 = never refuse)
     * @param maxLookupsInFlight lookups admitted and not yet answered ({@code --max-lookups-in-flight}, default
     *                       {@value #DEFAULT_MAX_LOOKUPS_IN_FLIGHT}): most of them wait, holding no thread, for the
     *                       acknowledgement of the audit batch their record went out in, so this bounds memory and
     *                       how many records one batch can carry, not CPU (the HTTP threads bound that)
     */
    public record Admission(
            int maxQueued,
            int maxQueueMillis,
            int httpThreads,
            int perAddressPerSecond,
            int maxViewAgeMillis,
            int maxLookupsInFlight) {
        public static final int DEFAULT_MAX_QUEUED = 1024;
        public static final int DEFAULT_MAX_QUEUE_MILLIS = 20;
        public static final int DEFAULT_HTTP_THREADS = 32;
        public static final int DEFAULT_PER_ADDRESS = 1000;
        public static final int DEFAULT_MAX_VIEW_AGE_MILLIS = 30_000;
        public static final int DEFAULT_MAX_LOOKUPS_IN_FLIGHT = 1024;
        public static final Admission DEFAULTS =
                new Admission(DEFAULT_MAX_QUEUED, DEFAULT_MAX_QUEUE_MILLIS, DEFAULT_HTTP_THREADS);

        /** With the default limit per source address. */
        public Admission(int maxQueued, int maxQueueMillis, int httpThreads) {
            this(maxQueued, maxQueueMillis, httpThreads, DEFAULT_PER_ADDRESS);
        }

        /** With the default bound on the view's age and lookups in flight. */
        public Admission(int maxQueued, int maxQueueMillis, int httpThreads, int perAddressPerSecond) {
            this(
                    maxQueued,
                    maxQueueMillis,
                    httpThreads,
                    perAddressPerSecond,
                    DEFAULT_MAX_VIEW_AGE_MILLIS,
                    DEFAULT_MAX_LOOKUPS_IN_FLIGHT);
        }

        /** The same with at most {@code lookups} in flight. */
        public Admission withMaxLookupsInFlight(int lookups) {
            return new Admission(
                    maxQueued, maxQueueMillis, httpThreads, perAddressPerSecond, maxViewAgeMillis, lookups);
        }

        List<String> validate() {
            List<String> problems = new ArrayList<>();
            if (maxQueued < 0) {
                problems.add(MAX_QUEUED + ": must be at least 0, got " + maxQueued);
            }
            if (maxQueueMillis < 1) {
                problems.add(MAX_QUEUE_MS + ": must be at least 1, got " + maxQueueMillis);
            }
            if (maxLookupsInFlight < 1) {
                problems.add(MAX_LOOKUPS_IN_FLIGHT + ": must be at least 1, got " + maxLookupsInFlight);
            }
            if (maxViewAgeMillis < 0) {
                problems.add(MAX_VIEW_AGE_MS + ": must be at least 0 (0: never refuse), got " + maxViewAgeMillis);
            }
            if (perAddressPerSecond < 0) {
                problems.add(RATE_PER_ADDRESS + ": must be at least 0 (0: no limit), got " + perAddressPerSecond);
            }
            if (httpThreads < 8) {
                problems.add(HTTP_THREADS + ": must be at least 8 (Jetty's selector and acceptor take some), got "
                        + httpThreads);
            }
            return problems;
        }
    }

    public static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";
    public static final String STATUS_TOPIC = "--status-topic";
    public static final String DEFAULT_STATUS_TOPIC = "status";
    public static final String DATA_DIR = "--data-dir";
    public static final String HTTP_HOST = "--http-host";
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final String HTTP_PORT = "--http-port";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String MAX_IN_FLIGHT = "--max-in-flight";
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;
    public static final String MAX_QUEUED = "--max-queued";
    public static final String MAX_QUEUE_MS = "--max-queue-ms";
    public static final String HTTP_THREADS = "--http-threads";
    public static final String RATE_PER_ADDRESS = "--rate-per-address";
    public static final String MAX_VIEW_AGE_MS = "--max-view-age-ms";
    public static final String MAX_LOOKUPS_IN_FLIGHT = "--max-lookups-in-flight";
    public static final String REUSE_PORT = "--reuse-port";

    /**
     * For embedding and tests: the interop options are the defaults plus {@code --dev-open-lookups} (callers without
     * credentials act as role app), as before access control existed. {@code ServeMain} never uses this: its
     * command line decides, and without the flag every caller must authenticate.
     */
    public ServeConfig(
            String bootstrapServers, String statusTopic, Path dataDir, String httpHost, int httpPort, int maxInFlight) {
        this(
                bootstrapServers,
                statusTopic,
                dataDir,
                httpHost,
                httpPort,
                maxInFlight,
                InteropConfig.defaults().withAccess(null, true, -1, null, InteropConfig.DEFAULT_RATES));
    }

    /** With the default admission queue and thread pool, and the default codes options of {@code interop}'s region. */
    public ServeConfig(
            String bootstrapServers,
            String statusTopic,
            Path dataDir,
            String httpHost,
            int httpPort,
            int maxInFlight,
            InteropConfig interop) {
        this(bootstrapServers, statusTopic, dataDir, httpHost, httpPort, maxInFlight, interop, Admission.DEFAULTS);
    }

    /** With the default codes options of {@code interop}'s region. */
    public ServeConfig(
            String bootstrapServers,
            String statusTopic,
            Path dataDir,
            String httpHost,
            int httpPort,
            int maxInFlight,
            InteropConfig interop,
            Admission admission) {
        this(
                bootstrapServers,
                statusTopic,
                dataDir,
                httpHost,
                httpPort,
                maxInFlight,
                interop,
                admission,
                interop == null
                        ? CodesServeConfig.defaults()
                        : CodesServeConfig.defaults().withRegion(interop.region()));
    }

    /** Without sharing the port. */
    public ServeConfig(
            String bootstrapServers,
            String statusTopic,
            Path dataDir,
            String httpHost,
            int httpPort,
            int maxInFlight,
            InteropConfig interop,
            Admission admission,
            CodesServeConfig codes) {
        this(bootstrapServers, statusTopic, dataDir, httpHost, httpPort, maxInFlight, interop, admission, codes, false);
    }

    /** The same configuration with this admission queue and thread pool. */
    public ServeConfig withAdmission(Admission options) {
        return new ServeConfig(
                bootstrapServers,
                statusTopic,
                dataDir,
                httpHost,
                httpPort,
                maxInFlight,
                interop,
                options,
                codes,
                reusePort);
    }

    /** The same configuration with these access-control and cross-region options (the codes follow the region). */
    public ServeConfig withInterop(InteropConfig options) {
        return new ServeConfig(
                bootstrapServers,
                statusTopic,
                dataDir,
                httpHost,
                httpPort,
                maxInFlight,
                options,
                admission,
                codes == null || options == null ? codes : codes.withRegion(options.region()),
                reusePort);
    }

    /** The same configuration with these codes and checkpoints options. */
    public ServeConfig withCodes(CodesServeConfig options) {
        return new ServeConfig(
                bootstrapServers,
                statusTopic,
                dataDir,
                httpHost,
                httpPort,
                maxInFlight,
                interop,
                admission,
                options,
                reusePort);
    }

    /** The configuration with every default, and nothing for the required keys. */
    public static ServeConfig defaults() {
        return new ServeConfig(
                null,
                DEFAULT_STATUS_TOPIC,
                null,
                DEFAULT_HTTP_HOST,
                DEFAULT_HTTP_PORT,
                DEFAULT_MAX_IN_FLIGHT,
                InteropConfig.defaults());
    }

    /** A parsed command line: the configuration, the problems met while parsing it, and whether help was asked. */
    public record Parsed(ServeConfig config, List<String> problems, boolean helpRequested) {}

    /**
     * Parses {@code --key value} or {@code --key=value} arguments over the defaults; an unknown option or a malformed
     * value is a problem, and parsing goes on so that every problem is reported at once.
     */
    public static Parsed parse(String... args) {
        List<String> problems = new ArrayList<>();
        ServeOptions options = new ServeOptions();
        CommandLine cl = ServeOptions.commandLine(options);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            problems.add(e.getMessage());
        }
        ServeConfig config = options.toConfig(problems);
        List<String> unmatched = cl.getUnmatchedArguments();
        for (int i = 0; i < unmatched.size(); i++) {
            String arg = unmatched.get(i);
            int eq = arg.indexOf('=');
            problems.add((arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg) + ": unknown option");
            if (arg.startsWith("-")
                    && eq < 0
                    && i + 1 < unmatched.size()
                    && !unmatched.get(i + 1).startsWith("-")) {
                i++; // its value
            }
        }
        return new Parsed(config, problems, cl.isUsageHelpRequested() || cl.isVersionHelpRequested());
    }

    /** Every option with its default and meaning, as {@code --help} prints it. */
    public static String usage() {
        return ServeOptions.commandLine(new ServeOptions()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** Every problem with this configuration; empty when it can be used. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        boolean hub = interop != null && interop.hubMode();
        if (!hub && (bootstrapServers == null || bootstrapServers.isBlank())) {
            problems.add(BOOTSTRAP_SERVERS + ": required (host:port of a Kafka broker)");
        }
        if (statusTopic == null || !statusTopic.matches("[A-Za-z0-9._-]{1,249}")) {
            problems.add(STATUS_TOPIC + ": not a valid Kafka topic name: " + statusTopic);
        }
        if (dataDir == null) {
            problems.add(DATA_DIR + ": required (where the status view is kept)");
        }
        if (httpHost == null || httpHost.isBlank()) {
            problems.add(HTTP_HOST + ": must not be empty");
        }
        if (httpPort < -1 || httpPort > 65_535) {
            problems.add(HTTP_PORT + ": must be 0..65535, or -1 for no plain HTTP, got " + httpPort);
        }
        if (interop != null) {
            problems.addAll(interop.validate());
            problems.addAll(boundaryProblems());
        }
        if (codes != null) {
            problems.addAll(codes.validate());
        }
        if (maxInFlight < 1) {
            problems.add(MAX_IN_FLIGHT + ": must be at least 1, got " + maxInFlight);
        }
        if (admission == null) {
            problems.add("admission: missing (use Admission.DEFAULTS)");
        } else {
            problems.addAll(admission.validate());
        }
        return problems;
    }

    /**
     * What would open this process to the network wider than intended: development mode on an address other machines
     * reach, and no listener at all. Checked by {@link #validate} and again when a node starts.
     */
    public List<String> boundaryProblems() {
        List<String> problems = new ArrayList<>();
        if (interop.devOpenLookups() && httpHost != null && !isLoopback(httpHost)) {
            problems.add(InteropConfig.DEV_OPEN_LOOKUPS + ": development mode serves callers without credentials, so"
                    + " it binds to loopback only; " + HTTP_HOST + " " + httpHost
                    + " is reachable from other machines");
        }
        if (httpPort == -1 && interop.tlsPort() < 0) {
            problems.add(HTTP_PORT + ": -1 (no plain HTTP) needs " + InteropConfig.TLS_PORT + ", else nothing listens");
        }
        return problems;
    }

    /** True for a loopback address or a name that resolves only to loopback ones. */
    static boolean isLoopback(String host) {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
