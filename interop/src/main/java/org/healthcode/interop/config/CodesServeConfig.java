package org.healthcode.interop.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.ingest.events.Feed;

/**
 * The serving process's options for health codes and checkpoints, defaults beside the keys: the part of
 * {@link ServeConfig} that code issuing and verification read. Parsed with the rest of the command line by
 * {@link ServeConfig#parse}; its region is the one {@code --region} of the process.
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
public record CodesServeConfig(
        String region, Path keyDirectory, Duration codeLifetime, Path dscFile, String venueTopic, int maxCachedCodes) {
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

    public static CodesServeConfig defaults() {
        return new CodesServeConfig(
                DEFAULT_REGION,
                null,
                CodesConfig.DEFAULT_CODE_LIFETIME,
                null,
                DEFAULT_VENUE_TOPIC,
                DEFAULT_MAX_CACHED_CODES);
    }

    /** The same options for another region. */
    public CodesServeConfig withRegion(String otherRegion) {
        return new CodesServeConfig(otherRegion, keyDirectory, codeLifetime, dscFile, venueTopic, maxCachedCodes);
    }

    /** Scan feedback is on unless the venue topic is {@value #NO_VENUE_TOPIC}. */
    public boolean scanFeedback() {
        return !NO_VENUE_TOPIC.equals(venueTopic);
    }

    /** The code-issuer configuration for a serving process whose view lives in {@code dataDir}. */
    public CodesConfig codesConfig(Path dataDir) {
        CodesConfig d = CodesConfig.defaults(region, dataDir.resolve("codes"));
        return new CodesConfig(
                d.region(),
                d.workDir(),
                keyDirectory,
                d.algorithm(),
                d.provider(),
                codeLifetime,
                d.keySigningWindow(),
                d.trustListValidity(),
                d.clockSkew());
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
}
