package org.healthcode.interop.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.healthcode.interop.security.Role;

/**
 * The serving process's options for access control and cross-region work, defaults beside the keys. Kept
 * apart from {@link ServeConfig} like {@link CodesServeConfig}: {@link #parse} takes its own keys and hands back the
 * rest. {@code --region} is read here but left in the rest, because the codes options need it too.
 *
 * @param mode             {@code serve} (a region's serving process) or {@code hub} (the national trust-list hub)
 *                         ({@code --mode}, default serve)
 * @param region           this region, GB/T 2260 ({@code --region}, default {@value #DEFAULT_REGION}; the hub uses
 *                         {@value #HUB_REGION})
 * @param apiKeysFile      accepted API keys, hashed ({@code --api-keys}; none: only client certificates)
 * @param devOpenLookups   development only: callers without credentials are treated as role app
 *                         ({@code --dev-open-lookups}, a flag; printed loudly at start)
 * @param tlsPort          the HTTPS port with client-certificate authentication ({@code --tls-port}; -1 off, 0 a
 *                         free port)
 * @param pkiDir           this node's certificates and the CA certificate, as {@code ./healthcode access node-cert}
 *                         writes them ({@code --pki-dir}, default {@code <data-dir>/pki}); never the CA's key
 * @param ratePerSecond    per-caller request rates by role ({@code --rate-limit app=50,checkpoint=200,...};
 *                         0 = unlimited)
 * @param topicPrefix      prefix of the audit, interop and exchange-outbox topics ({@code --topic-prefix}, default
 *                         empty; two regions on one broker use e.g. {@code a.} and {@code b.})
 * @param hubUrl           the trust-list hub ({@code --hub-url https://...}; none: no registration, no refresh)
 * @param hubKeyFile       the hub's public key, base64 SPKI ({@code --hub-key}; required with --hub-url)
 * @param enrolFiles       hub only: trust-list files of regions enrolled out of band, whose keys then sign their
 *                         later registrations ({@code --enrol FILE}, repeatable)
 * @param trustRefresh     how often the hub's trust list is fetched ({@code --trust-refresh-seconds}, default 3600)
 * @param trustWarnBefore  warn when the last good list expires within this ({@code --trust-warn-hours}, default 24)
 * @param peers            other regions' serving URLs for risk-person pushes ({@code --peer 310000=https://...},
 *                         repeatable)
 * @param federatedValidity how long a federated answer may be relied on ({@code --federated-validity-seconds},
 *                         default 300)
 */
public record InteropConfig(String mode, String region, Path apiKeysFile, boolean devOpenLookups, int tlsPort,
                            Path pkiDir, Map<Role, Integer> ratePerSecond, String topicPrefix, URI hubUrl,
                            Path hubKeyFile, List<Path> enrolFiles, Duration trustRefresh, Duration trustWarnBefore,
                            Map<String, URI> peers, Duration federatedValidity) {
    public static final String MODE = "--mode";
    public static final String MODE_SERVE = "serve";
    public static final String MODE_HUB = "hub";
    public static final String REGION = "--region";
    public static final String DEFAULT_REGION = "440000";
    /** The hub's own region code in audit records and certificates. */
    public static final String HUB_REGION = "000000";
    public static final String API_KEYS = "--api-keys";
    public static final String DEV_OPEN_LOOKUPS = "--dev-open-lookups";
    public static final String TLS_PORT = "--tls-port";
    public static final String PKI_DIR = "--pki-dir";
    public static final String RATE_LIMIT = "--rate-limit";
    public static final String TOPIC_PREFIX = "--topic-prefix";
    public static final String HUB_URL = "--hub-url";
    public static final String HUB_KEY = "--hub-key";
    public static final String ENROL = "--enrol";
    public static final String TRUST_REFRESH = "--trust-refresh-seconds";
    public static final String TRUST_WARN = "--trust-warn-hours";
    public static final String PEER = "--peer";
    public static final String FEDERATED_VALIDITY = "--federated-validity-seconds";
    public static final Map<Role, Integer> DEFAULT_RATES = Map.of(Role.APP, 200, Role.CHECKPOINT, 100,
            Role.REGION, 500, Role.OPERATOR, 20, Role.HUB, 20);

    private static final List<String> KEYS = List.of(MODE, API_KEYS, TLS_PORT, PKI_DIR, RATE_LIMIT, TOPIC_PREFIX,
            HUB_URL, HUB_KEY, ENROL, TRUST_REFRESH, TRUST_WARN, PEER, FEDERATED_VALIDITY);

    public static final String USAGE = String.join("\n",
            "access control and cross-region:",
            "  " + MODE + " serve|hub              default serve; hub runs the national trust-list hub",
            "  " + REGION + " CODE              this region (default " + DEFAULT_REGION + ")",
            "  " + API_KEYS + " FILE            accepted API keys (name role region sha256); see AccessMain",
            "  " + DEV_OPEN_LOOKUPS + "         DEVELOPMENT ONLY: callers without credentials act as role app",
            "  " + TLS_PORT + " N               HTTPS with client certificates (mutual TLS); -1 off (default)",
            "  " + PKI_DIR + " DIR              node certificates (access node-cert; default <data-dir>/pki)",
            "  " + RATE_LIMIT + " ROLE=N,...    requests per second per caller (default app=200,checkpoint=100,"
                    + "region=500,operator=20,hub=20)",
            "  " + TOPIC_PREFIX + " P           prefix of the audit, interop and exchange-outbox topics",
            "  " + HUB_URL + " URL              the trust-list hub (register keys, refresh the national list)",
            "  " + HUB_KEY + " FILE             the hub's public key (base64 SPKI), required with " + HUB_URL,
            "  " + ENROL + " FILE               hub: a region's trust list enrolled out of band (repeatable)",
            "  " + TRUST_REFRESH + " N  default 3600",
            "  " + TRUST_WARN + " N          default 24",
            "  " + PEER + " CODE=URL            another region's serving URL for risk-person pushes (repeatable)",
            "  " + FEDERATED_VALIDITY + " N  default 300");

    public static InteropConfig defaults() {
        return new InteropConfig(MODE_SERVE, DEFAULT_REGION, null, false, -1, null, DEFAULT_RATES, "", null, null,
                List.of(), Duration.ofHours(1), Duration.ofHours(24), Map.of(), Duration.ofMinutes(5));
    }

    public boolean hubMode() {
        return MODE_HUB.equals(mode);
    }

    /** The CA directory: {@code --pki-dir}, else {@code <dataDir>/pki}. */
    public Path effectivePkiDir(Path dataDir) {
        return pkiDir != null ? pkiDir : dataDir.resolve("pki");
    }

    public String auditTopic() {
        return topicPrefix + "audit";
    }

    /** Where risk persons pushed by other regions land as events for this region's job. */
    public String interopTopic() {
        return topicPrefix + "interop";
    }

    /** Risk-person records waiting to be pushed to other regions. */
    public String outboxTopic() {
        return topicPrefix + "exchange-out";
    }

    public InteropConfig withMode(String m) {
        return new InteropConfig(m, region, apiKeysFile, devOpenLookups, tlsPort, pkiDir, ratePerSecond, topicPrefix,
                hubUrl, hubKeyFile, enrolFiles, trustRefresh, trustWarnBefore, peers, federatedValidity);
    }

    public InteropConfig withAccess(Path keys, boolean devOpen, int tls, Path pki, Map<Role, Integer> rates) {
        return new InteropConfig(mode, region, keys, devOpen, tls, pki, rates, topicPrefix, hubUrl, hubKeyFile,
                enrolFiles, trustRefresh, trustWarnBefore, peers, federatedValidity);
    }

    public InteropConfig withRegion(String r, String prefix) {
        return new InteropConfig(mode, r, apiKeysFile, devOpenLookups, tlsPort, pkiDir, ratePerSecond, prefix, hubUrl,
                hubKeyFile, enrolFiles, trustRefresh, trustWarnBefore, peers, federatedValidity);
    }

    public InteropConfig withHub(URI url, Path key, List<Path> enrol, Map<String, URI> peerUrls) {
        return new InteropConfig(mode, region, apiKeysFile, devOpenLookups, tlsPort, pkiDir, ratePerSecond,
                topicPrefix, url, key, enrol, trustRefresh, trustWarnBefore, peerUrls, federatedValidity);
    }

    /** Parsed interop options, the problems met, and the arguments that were not interop options. */
    public record Parsed(InteropConfig config, List<String> problems, String[] remaining) {}

    /** Takes the interop options out of {@code args}; {@code --region} is read and left in the rest. */
    public static Parsed parse(String... args) {
        List<String> problems = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        InteropConfig d = defaults();
        String mode = d.mode;
        String region = d.region;
        Path keys = null;
        boolean devOpen = false;
        int tls = d.tlsPort;
        Path pki = null;
        Map<Role, Integer> rates = new EnumMap<>(d.ratePerSecond);
        String prefix = d.topicPrefix;
        URI hub = null;
        Path hubKey = null;
        List<Path> enrol = new ArrayList<>();
        Duration refresh = d.trustRefresh;
        Duration warn = d.trustWarnBefore;
        Map<String, URI> peers = new LinkedHashMap<>();
        Duration validity = d.federatedValidity;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(DEV_OPEN_LOOKUPS)) {
                devOpen = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String key = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (key.equals(REGION)) {
                String value = eq > 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[i + 1] : null;
                if (value != null) {
                    region = value;
                }
                rest.add(arg);
                continue;
            }
            if (!KEYS.contains(key)) {
                rest.add(arg);
                continue;
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add(key + ": needs a value");
                continue;
            }
            try {
                switch (key) {
                    case MODE -> mode = value;
                    case API_KEYS -> keys = Path.of(value);
                    case TLS_PORT -> tls = Integer.parseInt(value.trim());
                    case PKI_DIR -> pki = Path.of(value);
                    case RATE_LIMIT -> parseRates(value, rates, problems);
                    case TOPIC_PREFIX -> prefix = value;
                    case HUB_URL -> hub = URI.create(value);
                    case HUB_KEY -> hubKey = Path.of(value);
                    case ENROL -> enrol.add(Path.of(value));
                    case TRUST_REFRESH -> refresh = Duration.ofSeconds(Long.parseLong(value.trim()));
                    case TRUST_WARN -> warn = Duration.ofHours(Long.parseLong(value.trim()));
                    case PEER -> {
                        int at = value.indexOf('=');
                        if (at < 0) {
                            problems.add(PEER + ": expected CODE=URL, got " + value);
                        } else {
                            peers.put(value.substring(0, at), URI.create(value.substring(at + 1)));
                        }
                    }
                    case FEDERATED_VALIDITY -> validity = Duration.ofSeconds(Long.parseLong(value.trim()));
                    default -> throw new IllegalStateException(key);
                }
            } catch (NumberFormatException e) {
                problems.add(key + ": not a whole number: " + value);
            } catch (IllegalArgumentException e) {
                problems.add(key + ": " + e.getMessage());
            }
        }
        return new Parsed(new InteropConfig(mode, region, keys, devOpen, tls, pki, rates, prefix, hub, hubKey,
                List.copyOf(enrol), refresh, warn, Map.copyOf(peers), validity), problems, rest.toArray(String[]::new));
    }

    private static void parseRates(String value, Map<Role, Integer> rates, List<String> problems) {
        for (String part : value.split(",")) {
            String[] kv = part.split("=", 2);
            var role = Role.parse(kv[0]);
            if (kv.length != 2 || role.isEmpty()) {
                problems.add(RATE_LIMIT + ": expected ROLE=N,..., got " + part);
                continue;
            }
            rates.put(role.get(), Integer.parseInt(kv[1].trim()));
        }
    }

    /** Every problem at once; empty when usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (!MODE_SERVE.equals(mode) && !MODE_HUB.equals(mode)) {
            problems.add(MODE + ": serve or hub, got " + mode);
        }
        if (region == null || !region.matches("\\d{6}")) {
            problems.add(REGION + ": must be a six-digit GB/T 2260 code, got " + region);
        }
        if (tlsPort < -1 || tlsPort > 65_535) {
            problems.add(TLS_PORT + ": must be -1..65535, got " + tlsPort);
        }
        if (!topicPrefix.matches("[A-Za-z0-9._-]{0,100}")) {
            problems.add(TOPIC_PREFIX + ": letters, digits, '.', '_', '-' only, got " + topicPrefix);
        }
        if (hubUrl != null && hubKeyFile == null) {
            problems.add(HUB_KEY + ": required with " + HUB_URL + " (the hub's public key, to verify its list)");
        }
        if (hubUrl != null && tlsPort < 0) {
            problems.add(TLS_PORT + ": required with " + HUB_URL + " (the hub and regions talk mutual TLS)");
        }
        if (!peers.isEmpty() && tlsPort < 0) {
            problems.add(TLS_PORT + ": required with " + PEER + " (regions talk mutual TLS)");
        }
        if (hubMode() && tlsPort < 0) {
            problems.add(TLS_PORT + ": required in hub mode (regions register over mutual TLS)");
        }
        peers.forEach((code, url) -> {
            if (!code.matches("\\d{6}") || url.getScheme() == null || !url.getScheme().equals("https")) {
                problems.add(PEER + ": expected a six-digit code = an https URL, got " + code + "=" + url);
            }
        });
        ratePerSecond.forEach((role, rate) -> {
            if (rate < 0) {
                problems.add(RATE_LIMIT + ": " + role.wireName() + " must be >= 0");
            }
        });
        if (trustRefresh.isNegative() || trustRefresh.isZero()) {
            problems.add(TRUST_REFRESH + ": must be positive");
        }
        if (federatedValidity.isNegative() || federatedValidity.isZero()) {
            problems.add(FEDERATED_VALIDITY + ": must be positive");
        }
        return problems;
    }
}
