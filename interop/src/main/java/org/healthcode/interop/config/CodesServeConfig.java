package org.healthcode.interop.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.ingest.events.Feed;

/**
 * The serving process's options for health codes and checkpoints, defaults beside the keys. Kept apart from
 * {@link ServeConfig} so the two parse the same command line side by side: {@link #parse} takes its own keys and
 * hands back the rest ({@code --region} is read here and handed on too: the access-control options need it).
 *
 * @param region          GB/T 2260 code of this region, the codes' issuer ({@code --region}, default
 *                        {@value #DEFAULT_REGION})
 * @param keyDirectory    a provisioned key directory (keystore.p12 + keyring.json, password in
 *                        {@code HEALTHCODE_KEYSTORE_PASSWORD}; {@code --key-dir}); null: development keys generated
 *                        under {@code <data-dir>/codes} on first start
 * @param codeLifetime    exp - iat of an issued code ({@code --code-lifetime-seconds}, default 300)
 * @param dscFile         EU DCC signer certificates for {@code HC1:} at {@code /v1/verify}, one base64 DER a line
 *                        ({@code --dsc}); null: HC1 certificates get {@code unknown_key}
 * @param venueTopic      where checkpoint scans of valid codes go as venue {@code scan} events ({@code --venue-topic},
 *                        default {@value #DEFAULT_VENUE_TOPIC}; {@code none} turns scan feedback off)
 * @param maxCachedCodes  persons whose current code is kept for re-use ({@code --max-cached-codes}, default
 *                        {@value #DEFAULT_MAX_CACHED_CODES})
 */
public record CodesServeConfig(String region, Path keyDirectory, Duration codeLifetime, Path dscFile,
                               String venueTopic, int maxCachedCodes) {
    public static final String REGION = "--region";
    public static final String DEFAULT_REGION = "440000";
    public static final String KEY_DIR = "--key-dir";
    public static final String CODE_LIFETIME = "--code-lifetime-seconds";
    public static final String DSC = "--dsc";
    public static final String VENUE_TOPIC = "--venue-topic";
    public static final String DEFAULT_VENUE_TOPIC = Feed.VENUE.wireName();
    /** The {@code --venue-topic} value that turns scan feedback off. */
    public static final String NO_VENUE_TOPIC = "none";
    public static final String MAX_CACHED_CODES = "--max-cached-codes";
    public static final int DEFAULT_MAX_CACHED_CODES = 100_000;

    public static final String USAGE = String.join("\n",
            "health codes and checkpoints:",
            "  " + REGION + " CODE              this region, GB/T 2260 (default " + DEFAULT_REGION + ")",
            "  " + KEY_DIR + " DIR             provisioned signing keys (default: development keys under <data-dir>/codes)",
            "  " + CODE_LIFETIME + " N  code lifetime (default "
                    + CodesConfig.DEFAULT_CODE_LIFETIME.toSeconds() + ")",
            "  " + DSC + " FILE               EU DCC signer certificates for HC1: verification",
            "  " + VENUE_TOPIC + " NAME       checkpoint scan events (default " + DEFAULT_VENUE_TOPIC + "; "
                    + NO_VENUE_TOPIC + ": off)",
            "  " + MAX_CACHED_CODES + " N     persons whose code is cached (default " + DEFAULT_MAX_CACHED_CODES + ")");

    public static CodesServeConfig defaults() {
        return new CodesServeConfig(DEFAULT_REGION, null, CodesConfig.DEFAULT_CODE_LIFETIME, null, DEFAULT_VENUE_TOPIC,
                DEFAULT_MAX_CACHED_CODES);
    }

    /** The same options for another region. */
    public CodesServeConfig withRegion(String otherRegion) {
        return new CodesServeConfig(otherRegion, keyDirectory, codeLifetime, dscFile, venueTopic, maxCachedCodes);
    }

    /** Parsed codes options, the problems met, and the arguments that were not codes options. */
    public record Parsed(CodesServeConfig config, List<String> problems, String[] remaining) {}

    /** Takes the codes options out of {@code args} ({@code --key value} or {@code --key=value}). */
    public static Parsed parse(String... args) {
        List<String> problems = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        CodesServeConfig d = defaults();
        String region = d.region;
        Path keyDir = d.keyDirectory;
        Duration lifetime = d.codeLifetime;
        Path dsc = d.dscFile;
        String venueTopic = d.venueTopic;
        int maxCached = d.maxCachedCodes;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.indexOf('=');
            String key = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (!List.of(REGION, KEY_DIR, CODE_LIFETIME, DSC, VENUE_TOPIC, MAX_CACHED_CODES).contains(key)) {
                rest.add(arg);
                // the serving options' flag without a value: the next argument is an option of its own
                if (!arg.contains("=") && arg.startsWith("--") && !arg.equals(ServeConfig.REUSE_PORT)
                        && i + 1 < args.length) {
                    rest.add(args[++i]);
                }
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
            switch (key) {
                case REGION -> {
                    region = value;
                    // shared with the access-control options: read here, and passed on
                    rest.add(REGION);
                    rest.add(value);
                }
                case KEY_DIR -> keyDir = Path.of(value);
                case CODE_LIFETIME -> lifetime = Duration.ofSeconds(integer(key, value, problems,
                        (int) lifetime.toSeconds()));
                case DSC -> dsc = Path.of(value);
                case VENUE_TOPIC -> venueTopic = value;
                case MAX_CACHED_CODES -> maxCached = integer(key, value, problems, maxCached);
                default -> throw new IllegalStateException(key);
            }
        }
        return new Parsed(new CodesServeConfig(region, keyDir, lifetime, dsc, venueTopic, maxCached), problems,
                rest.toArray(String[]::new));
    }

    /** Scan feedback is on unless the venue topic is {@value #NO_VENUE_TOPIC}. */
    public boolean scanFeedback() {
        return !NO_VENUE_TOPIC.equals(venueTopic);
    }

    /** The code-issuer configuration for a serving process whose view lives in {@code dataDir}. */
    public CodesConfig codesConfig(Path dataDir) {
        CodesConfig d = CodesConfig.defaults(region, dataDir.resolve("codes"));
        return new CodesConfig(d.region(), d.workDir(), keyDirectory, d.algorithm(), d.provider(), codeLifetime,
                d.keySigningWindow(), d.trustListValidity(), d.clockSkew());
    }

    /** Every problem at once; empty when usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (region == null || !region.matches("\\d{6}")) {
            problems.add(REGION + ": must be a six-digit GB/T 2260 code, got " + region);
        }
        if (codeLifetime == null || codeLifetime.toSeconds() < 30 || codeLifetime.toHours() > 24) {
            problems.add(CODE_LIFETIME + ": must be between 30 and 86400, got "
                    + (codeLifetime == null ? null : codeLifetime.toSeconds()));
        }
        if (venueTopic == null || !venueTopic.matches("[A-Za-z0-9._-]{1,249}")) {
            problems.add(VENUE_TOPIC + ": not a valid Kafka topic name: " + venueTopic);
        }
        if (maxCachedCodes < 1) {
            problems.add(MAX_CACHED_CODES + ": must be at least 1, got " + maxCachedCodes);
        }
        return problems;
    }

    private static int integer(String key, String value, List<String> problems, int fallback) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            problems.add(key + ": not a whole number: " + value);
            return fallback;
        }
    }
}
