package org.healthcode.codes.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;

/**
 * Configuration of code issuing for one region, defaults beside the keys; {@link #validate()} reports every problem.
 *
 * @param region            GB/T 2260 code of this region (the codes' iss)
 * @param workDir           where development keys are generated on first start ({@code <workDir>/keys/<region>/})
 * @param keyDirectory      a production key directory (keystore.p12 + keyring.json); null: use workDir's
 * @param algorithm         signing algorithm of newly generated keys
 * @param provider          JCA provider for signing and verifying
 * @param codeLifetime      exp - iat of a code
 * @param keySigningWindow  how long a new key may sign (rotate before it closes)
 * @param trustListValidity how long a published trust list may be used offline
 * @param clockSkew         tolerance on iat/exp when verifying
 */
public record CodesConfig(
        String region,
        Path workDir,
        Path keyDirectory,
        CoseAlgorithm algorithm,
        CryptoProvider provider,
        Duration codeLifetime,
        Duration keySigningWindow,
        Duration trustListValidity,
        Duration clockSkew) {
    public static final CoseAlgorithm DEFAULT_ALGORITHM = CoseAlgorithm.EDDSA;
    public static final CryptoProvider DEFAULT_PROVIDER = CryptoProvider.BC;
    public static final Duration DEFAULT_CODE_LIFETIME = Duration.ofMinutes(5);
    public static final Duration DEFAULT_KEY_SIGNING_WINDOW = Duration.ofDays(90);
    public static final Duration DEFAULT_TRUST_LIST_VALIDITY = Duration.ofDays(7);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    /** Development defaults for a region and work directory. */
    public static CodesConfig defaults(String region, Path workDir) {
        return new CodesConfig(
                region,
                workDir,
                null,
                DEFAULT_ALGORITHM,
                DEFAULT_PROVIDER,
                DEFAULT_CODE_LIFETIME,
                DEFAULT_KEY_SIGNING_WINDOW,
                DEFAULT_TRUST_LIST_VALIDITY,
                DEFAULT_CLOCK_SKEW);
    }

    public Path effectiveKeyDirectory() {
        return keyDirectory != null ? keyDirectory : workDir.resolve("keys").resolve(region);
    }

    /** Every problem at once; empty when the configuration is usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (region == null || !region.matches("\\d{6}")) {
            problems.add("region must be a six-digit GB/T 2260 code, got " + region);
        }
        if (workDir == null && keyDirectory == null) {
            problems.add("either workDir or keyDirectory must be set");
        }
        if (algorithm == null || algorithm == CoseAlgorithm.PS256) {
            problems.add("algorithm must be ES256 or EdDSA");
        }
        if (provider == null) {
            problems.add("provider must be jdk or bc");
        }
        if (codeLifetime == null
                || codeLifetime.isNegative()
                || codeLifetime.isZero()
                || codeLifetime.compareTo(Duration.ofHours(24)) > 0) {
            problems.add("codeLifetime must be between 1 s and 24 h (codes live minutes), got " + codeLifetime);
        }
        if (keySigningWindow == null || keySigningWindow.compareTo(Duration.ofHours(1)) < 0) {
            problems.add("keySigningWindow must be at least 1 h, got " + keySigningWindow);
        }
        if (trustListValidity == null || trustListValidity.isNegative() || trustListValidity.isZero()) {
            problems.add("trustListValidity must be positive, got " + trustListValidity);
        }
        if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            problems.add("clockSkew must be between 0 and 5 min, got " + clockSkew);
        }
        return problems;
    }
}
