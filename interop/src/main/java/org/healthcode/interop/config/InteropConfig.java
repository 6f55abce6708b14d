package org.healthcode.interop.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.healthcode.interop.security.Role;

/**
 * The serving process's options for access control and cross-region work, defaults beside the keys: the part of
 * {@link ServeConfig} that {@code AccessControlHandler}, the exchange and the trust list read. Parsed with the rest
 * of the command line by {@link ServeConfig#parse}.
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
public record InteropConfig(
        String mode,
        String region,
        Path apiKeysFile,
        boolean devOpenLookups,
        int tlsPort,
        Path pkiDir,
        Map<Role, Integer> ratePerSecond,
        String topicPrefix,
        URI hubUrl,
        Path hubKeyFile,
        List<Path> enrolFiles,
        Duration trustRefresh,
        Duration trustWarnBefore,
        Map<String, URI> peers,
        Duration federatedValidity) {
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
    public static final Map<Role, Integer> DEFAULT_RATES =
            Map.of(Role.APP, 200, Role.CHECKPOINT, 100, Role.REGION, 500, Role.OPERATOR, 20, Role.HUB, 20);

    public static InteropConfig defaults() {
        return new InteropConfig(
                MODE_SERVE,
                DEFAULT_REGION,
                null,
                false,
                -1,
                null,
                DEFAULT_RATES,
                "",
                null,
                null,
                List.of(),
                Duration.ofHours(1),
                Duration.ofHours(24),
                Map.of(),
                Duration.ofMinutes(5));
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
        return new InteropConfig(
                m,
                region,
                apiKeysFile,
                devOpenLookups,
                tlsPort,
                pkiDir,
                ratePerSecond,
                topicPrefix,
                hubUrl,
                hubKeyFile,
                enrolFiles,
                trustRefresh,
                trustWarnBefore,
                peers,
                federatedValidity);
    }

    public InteropConfig withAccess(Path keys, boolean devOpen, int tls, Path pki, Map<Role, Integer> rates) {
        return new InteropConfig(
                mode,
                region,
                keys,
                devOpen,
                tls,
                pki,
                rates,
                topicPrefix,
                hubUrl,
                hubKeyFile,
                enrolFiles,
                trustRefresh,
                trustWarnBefore,
                peers,
                federatedValidity);
    }

    public InteropConfig withRegion(String r, String prefix) {
        return new InteropConfig(
                mode,
                r,
                apiKeysFile,
                devOpenLookups,
                tlsPort,
                pkiDir,
                ratePerSecond,
                prefix,
                hubUrl,
                hubKeyFile,
                enrolFiles,
                trustRefresh,
                trustWarnBefore,
                peers,
                federatedValidity);
    }

    public InteropConfig withHub(URI url, Path key, List<Path> enrol, Map<String, URI> peerUrls) {
        return new InteropConfig(
                mode,
                region,
                apiKeysFile,
                devOpenLookups,
                tlsPort,
                pkiDir,
                ratePerSecond,
                topicPrefix,
                url,
                key,
                enrol,
                trustRefresh,
                trustWarnBefore,
                peerUrls,
                federatedValidity);
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
            if (!code.matches("\\d{6}")
                    || url.getScheme() == null
                    || !url.getScheme().equals("https")) {
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
