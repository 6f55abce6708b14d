package org.healthcode.interop.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.security.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The serving process's command line: every option of {@link ServeConfig}, its {@link InteropConfig} and its
 * {@link CodesServeConfig}, with its default and its help, read by one picocli parser. Values arrive as text and
 * are converted in {@link #toConfig}, so one run reports every malformed value at once (picocli would stop at the
 * first).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpWidth = 120,
        description = "A region's serving process (status view, lookups, codes, exchange), or with --mode hub the"
                + " national trust-list hub.")
final class ServeOptions {
    // ---- the status view and HTTP ----
    @Option(
            names = ServeConfig.BOOTSTRAP_SERVERS,
            paramLabel = "HOST:PORT",
            description = "Kafka with the status topic (required, except in hub mode).")
    String bootstrapServers;

    @Option(
            names = KafkaClientSettings.OPTION,
            paramLabel = "FILE",
            description = "Kafka client settings (SASL_SSL,"
                    + " SCRAM, mTLS: security.protocol, sasl.*, ssl.*) for every Kafka client; default plaintext.")
    Path kafkaConfig;

    @Option(
            names = ServeConfig.DATA_DIR,
            paramLabel = "DIR",
            description = "The status view (RocksDB), its positions, keys and audit index (required).")
    String dataDir;

    @Option(
            names = ServeConfig.STATUS_TOPIC,
            paramLabel = "NAME",
            defaultValue = ServeConfig.DEFAULT_STATUS_TOPIC,
            description = "The compacted status topic (default: ${DEFAULT-VALUE}).")
    String statusTopic;

    @Option(
            names = ServeConfig.HTTP_HOST,
            paramLabel = "ADDR",
            defaultValue = ServeConfig.DEFAULT_HTTP_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0: all interfaces).")
    String httpHost;

    @Option(
            names = ServeConfig.HTTP_PORT,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.DEFAULT_HTTP_PORT,
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0: a free port; -1: no plain HTTP, needs --tls-port).")
    String httpPort;

    @Option(
            names = ServeConfig.REUSE_PORT,
            description = "Share --http-port with other serving processes on this machine (SO_REUSEPORT; each with"
                    + " the flag, the same user and its own --data-dir).")
    boolean reusePort;

    @Option(
            names = ServeConfig.MAX_LOOKUPS_IN_FLIGHT,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.Admission.DEFAULT_MAX_LOOKUPS_IN_FLIGHT,
            description = "Lookups admitted and not yet answered; more wait in the admission queue"
                    + " (default: ${DEFAULT-VALUE}).")
    String maxLookupsInFlight;

    @Option(
            names = ServeConfig.MAX_IN_FLIGHT,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.DEFAULT_MAX_IN_FLIGHT,
            description = "Code issues and verifications handled at once; beyond: 503 overloaded"
                    + " (default: ${DEFAULT-VALUE}).")
    String maxInFlight;

    @Option(
            names = ServeConfig.MAX_QUEUED,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.Admission.DEFAULT_MAX_QUEUED,
            description = "Lookups waiting at most; beyond: 503 overloaded + Retry-After (default: ${DEFAULT-VALUE}).")
    String maxQueued;

    @Option(
            names = ServeConfig.MAX_QUEUE_MS,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.Admission.DEFAULT_MAX_QUEUE_MILLIS,
            description = "Longest wait for admission, ms; then 503 overloaded (default: ${DEFAULT-VALUE}).")
    String maxQueueMillis;

    @Option(
            names = ServeConfig.HTTP_THREADS,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.Admission.DEFAULT_HTTP_THREADS,
            description = "HTTP thread pool (default: ${DEFAULT-VALUE}).")
    String httpThreads;

    @Option(
            names = ServeConfig.RATE_PER_ADDRESS,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.Admission.DEFAULT_PER_ADDRESS,
            description =
                    "Requests/s from one address, before authentication (default: ${DEFAULT-VALUE};" + " 0: no limit).")
    String perAddress;

    @Option(
            names = ServeConfig.MAX_VIEW_AGE_MS,
            paramLabel = "N",
            defaultValue = "" + ServeConfig.Admission.DEFAULT_MAX_VIEW_AGE_MILLIS,
            description = "Lookups answer 503 view_stale while the status view is older, ms (default:"
                    + " ${DEFAULT-VALUE}; 0: never).")
    String maxViewAgeMillis;

    // ---- access control and cross-region ----
    @Option(
            names = InteropConfig.MODE,
            paramLabel = "serve|hub",
            defaultValue = InteropConfig.MODE_SERVE,
            description = "serve, or hub: run the national trust-list hub (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = InteropConfig.REGION,
            paramLabel = "CODE",
            defaultValue = InteropConfig.DEFAULT_REGION,
            description = "This region, GB/T 2260: access control and the codes' issuer (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
            names = InteropConfig.API_KEYS,
            paramLabel = "FILE",
            description = "Accepted API keys (name role region sha256); see AccessMain.")
    Path apiKeys;

    @Option(
            names = InteropConfig.DEV_OPEN_LOOKUPS,
            description = "DEVELOPMENT ONLY: callers without credentials act as role app (loopback only).")
    boolean devOpenLookups;

    @Option(
            names = InteropConfig.TLS_PORT,
            paramLabel = "N",
            defaultValue = "-1",
            description = "HTTPS with client certificates (mutual TLS); -1 off (default: ${DEFAULT-VALUE}).")
    String tlsPort;

    @Option(
            names = InteropConfig.PKI_DIR,
            paramLabel = "DIR",
            description = "This node's certificates and the CA certificate from ./healthcode access node-cert,"
                    + " never the CA's key (default: <data-dir>/pki).")
    Path pkiDir;

    @Option(
            names = InteropConfig.RATE_LIMIT,
            paramLabel = "ROLE=N,...",
            description = "Requests per second per"
                    + " caller (default: app=200,checkpoint=100,region=500,operator=20,hub=20; 0: unlimited).")
    List<String> rateLimits = new ArrayList<>();

    @Option(
            names = InteropConfig.TOPIC_PREFIX,
            paramLabel = "P",
            defaultValue = "",
            description = "Prefix of the audit, interop and exchange-outbox topics (default: none).")
    String topicPrefix;

    @Option(
            names = InteropConfig.HUB_URL,
            paramLabel = "URL",
            description = "The trust-list hub (register keys, refresh the national list).")
    String hubUrl;

    @Option(
            names = InteropConfig.HUB_KEY,
            paramLabel = "FILE",
            description = "The hub's public key (base64 SPKI), required with --hub-url.")
    Path hubKey;

    @Option(
            names = InteropConfig.ENROL,
            paramLabel = "FILE",
            description = "Hub: a region's trust list enrolled out of band (repeatable).")
    List<Path> enrol = new ArrayList<>();

    @Option(
            names = InteropConfig.TRUST_REFRESH,
            paramLabel = "N",
            defaultValue = "3600",
            description = "Seconds between fetches of the hub's trust list (default: ${DEFAULT-VALUE}).")
    String trustRefreshSeconds;

    @Option(
            names = InteropConfig.TRUST_WARN,
            paramLabel = "N",
            defaultValue = "24",
            description = "Warn when the last good list expires within this many hours (default: ${DEFAULT-VALUE}).")
    String trustWarnHours;

    @Option(
            names = InteropConfig.PEER,
            paramLabel = "CODE=URL",
            description = "Another region's serving URL for risk-person pushes (repeatable).")
    List<String> peers = new ArrayList<>();

    @Option(
            names = InteropConfig.FEDERATED_VALIDITY,
            paramLabel = "N",
            defaultValue = "300",
            description = "Seconds a federated answer may be relied on (default: ${DEFAULT-VALUE}).")
    String federatedValiditySeconds;

    // ---- health codes and checkpoints ----
    @Option(
            names = CodesServeConfig.KEY_DIR,
            paramLabel = "DIR",
            description = "Provisioned signing keys (default: development keys under <data-dir>/codes).")
    Path keyDir;

    @Option(
            names = CodesServeConfig.CODE_LIFETIME,
            paramLabel = "N",
            description = "Code lifetime in seconds" + " (default: 300).")
    String codeLifetimeSeconds;

    @Option(
            names = CodesServeConfig.DSC,
            paramLabel = "FILE",
            description = "EU DCC signer certificates for HC1: verification.")
    Path dsc;

    /** Null: {@link CodesServeConfig#DEFAULT_VENUE_TOPIC}, the venue feed's topic (not a constant picocli can hold). */
    @Option(
            names = CodesServeConfig.VENUE_TOPIC,
            paramLabel = "NAME",
            description = "Checkpoint scan events (default: the venue feed's topic, venue; "
                    + CodesServeConfig.NO_VENUE_TOPIC + ": off).")
    String venueTopic;

    @Option(
            names = CodesServeConfig.MAX_CACHED_CODES,
            paramLabel = "N",
            defaultValue = "" + CodesServeConfig.DEFAULT_MAX_CACHED_CODES,
            description = "Persons whose code is cached (default: ${DEFAULT-VALUE}).")
    String maxCachedCodes;

    /** The parser over these options; unknown options are collected, not thrown. */
    static CommandLine commandLine(ServeOptions options) {
        return new CommandLine(options).setUnmatchedArgumentsAllowed(true);
    }

    /** The configuration these options describe; {@code problems} receives every value that is not well formed. */
    ServeConfig toConfig(List<String> problems) {
        InteropConfig d = InteropConfig.defaults();
        Map<Role, Integer> rates = new EnumMap<>(d.ratePerSecond());
        rateLimits.forEach(value -> parseRates(value, rates, problems));
        Map<String, URI> peerUrls = new LinkedHashMap<>();
        for (String value : peers) {
            int at = value.indexOf('=');
            if (at < 0) {
                problems.add(InteropConfig.PEER + ": expected CODE=URL, got " + value);
            } else {
                uri(InteropConfig.PEER, value.substring(at + 1), problems)
                        .ifPresent(u -> peerUrls.put(value.substring(0, at), u));
            }
        }
        InteropConfig interop = new InteropConfig(
                mode,
                region,
                apiKeys,
                devOpenLookups,
                integer(InteropConfig.TLS_PORT, tlsPort, problems, d.tlsPort()),
                pkiDir,
                rates,
                topicPrefix,
                hubUrl == null
                        ? null
                        : uri(InteropConfig.HUB_URL, hubUrl, problems).orElse(null),
                hubKey,
                List.copyOf(enrol),
                Duration.ofSeconds(whole(
                        InteropConfig.TRUST_REFRESH,
                        trustRefreshSeconds,
                        problems,
                        d.trustRefresh().toSeconds())),
                Duration.ofHours(whole(
                        InteropConfig.TRUST_WARN,
                        trustWarnHours,
                        problems,
                        d.trustWarnBefore().toHours())),
                Map.copyOf(peerUrls),
                Duration.ofSeconds(whole(
                        InteropConfig.FEDERATED_VALIDITY,
                        federatedValiditySeconds,
                        problems,
                        d.federatedValidity().toSeconds())));
        Duration lifetime = CodesConfig.DEFAULT_CODE_LIFETIME;
        if (codeLifetimeSeconds != null) {
            lifetime = Duration.ofSeconds(
                    integer(CodesServeConfig.CODE_LIFETIME, codeLifetimeSeconds, problems, (int) lifetime.toSeconds()));
        }
        CodesServeConfig codes = new CodesServeConfig(
                region,
                keyDir,
                lifetime,
                dsc,
                venueTopic == null ? CodesServeConfig.DEFAULT_VENUE_TOPIC : venueTopic,
                integer(
                        CodesServeConfig.MAX_CACHED_CODES,
                        maxCachedCodes,
                        problems,
                        CodesServeConfig.DEFAULT_MAX_CACHED_CODES));
        ServeConfig.Admission admission = new ServeConfig.Admission(
                integer(ServeConfig.MAX_QUEUED, maxQueued, problems, ServeConfig.Admission.DEFAULT_MAX_QUEUED),
                integer(
                        ServeConfig.MAX_QUEUE_MS,
                        maxQueueMillis,
                        problems,
                        ServeConfig.Admission.DEFAULT_MAX_QUEUE_MILLIS),
                integer(ServeConfig.HTTP_THREADS, httpThreads, problems, ServeConfig.Admission.DEFAULT_HTTP_THREADS),
                integer(ServeConfig.RATE_PER_ADDRESS, perAddress, problems, ServeConfig.Admission.DEFAULT_PER_ADDRESS),
                integer(
                        ServeConfig.MAX_VIEW_AGE_MS,
                        maxViewAgeMillis,
                        problems,
                        ServeConfig.Admission.DEFAULT_MAX_VIEW_AGE_MILLIS),
                integer(
                        ServeConfig.MAX_LOOKUPS_IN_FLIGHT,
                        maxLookupsInFlight,
                        problems,
                        ServeConfig.Admission.DEFAULT_MAX_LOOKUPS_IN_FLIGHT));
        return new ServeConfig(
                bootstrapServers,
                statusTopic,
                dataDir == null ? null : Path.of(dataDir),
                httpHost,
                integer(ServeConfig.HTTP_PORT, httpPort, problems, ServeConfig.DEFAULT_HTTP_PORT),
                integer(ServeConfig.MAX_IN_FLIGHT, maxInFlight, problems, ServeConfig.DEFAULT_MAX_IN_FLIGHT),
                interop,
                admission,
                codes,
                reusePort);
    }

    private static void parseRates(String value, Map<Role, Integer> rates, List<String> problems) {
        for (String part : value.split(",")) {
            String[] kv = part.split("=", 2);
            var role = Role.parse(kv[0]);
            if (kv.length != 2 || role.isEmpty()) {
                problems.add(InteropConfig.RATE_LIMIT + ": expected ROLE=N,..., got " + part);
                continue;
            }
            rates.put(role.get(), integer(InteropConfig.RATE_LIMIT, kv[1], problems, 0));
        }
    }

    private static java.util.Optional<URI> uri(String key, String value, List<String> problems) {
        try {
            return java.util.Optional.of(URI.create(value));
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    private static int integer(String key, String value, List<String> problems, int fallback) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            problems.add(key + ": not a whole number: " + value);
            return fallback;
        }
    }

    private static long whole(String key, String value, List<String> problems, long fallback) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            problems.add(key + ": not a whole number: " + value);
            return fallback;
        }
    }
}
