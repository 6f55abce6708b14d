package org.healthcode.codes.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.healthcode.codes.RegionCodes;
import org.healthcode.codes.config.CodesConfig;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.keys.RegionKey;

/**
 * Region key chores: {@code init} (create development keys if absent), {@code rotate}, {@code withdraw KID} (a
 * compromised key, for good), {@code publish} (write the trust list). Each prints the ring and writes the trust list
 * to {@code --out} (default
 * {@code <work-dir>/trust/<region>.json}).
 */
public final class KeysMain {
    static final String USAGE = """
        usage: keys init|rotate|publish|withdraw KID --work-dir DIR --region CODE [--alg ES256|EdDSA]
                    [--provider jdk|bc]
                    [--key-dir DIR] [--out FILE] [--at TIME]
        """;

    private KeysMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        try {
            CliArgs a = new CliArgs(
                    args, Set.of("work-dir", "region", "alg", "provider", "key-dir", "out", "at"), Set.of());
            List<String> words = a.positional();
            boolean withdraw = !words.isEmpty() && words.get(0).equals("withdraw");
            if (withdraw
                    ? words.size() != 2
                    : words.size() != 1 || !Set.of("init", "rotate", "publish").contains(words.get(0))) {
                throw new IllegalArgumentException("say init, rotate, publish or withdraw KID");
            }
            CodesConfig config = config(a);
            Instant now =
                    a.get("at") == null ? Instant.now() : org.healthcode.codes.verify.IsoInstants.parse(a.get("at"));
            RegionCodes codes = RegionCodes.open(config, now);
            if (a.positional().get(0).equals("rotate")) {
                codes.rotate(now);
            }
            if (withdraw) {
                codes.withdraw(words.get(1), now);
                out.println("withdrawn: " + words.get(1) + " (a serving process on this key directory stops using and "
                        + "publishing it within a second of its next code or trust list; checkpoints at their next "
                        + "trust-list refresh)");
            }
            for (RegionKey k : codes.keyRing().published()) {
                out.printf(
                        "%-8s kid=%s alg=%s window=%s..%s%n",
                        codes.keyRing().roleOf(k),
                        k.kidBase64(),
                        k.algorithm().jsonName(),
                        k.notBefore(),
                        k.notAfter());
            }
            Path file = a.get("out") != null
                    ? Path.of(a.get("out"))
                    : config.workDir().resolve("trust").resolve(config.region() + ".json");
            out.println("trust list: " + codes.writeTrustList(file, now));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("keys: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    static CodesConfig config(CliArgs a) {
        CodesConfig d = CodesConfig.defaults(a.require("region"), Path.of(a.require("work-dir")));
        CoseAlgorithm alg = CoseAlgorithm.byName(a.get("alg", d.algorithm().jsonName()))
                .orElseThrow(() -> new IllegalArgumentException("unknown --alg " + a.get("alg")));
        return new CodesConfig(
                d.region(),
                d.workDir(),
                a.get("key-dir") == null ? null : Path.of(a.get("key-dir")),
                alg,
                a.get("provider") == null ? d.provider() : CryptoProvider.parse(a.get("provider")),
                d.codeLifetime(),
                d.keySigningWindow(),
                d.trustListValidity(),
                d.clockSkew());
    }
}
