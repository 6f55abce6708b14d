package org.healthcode.codes.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.dcc.DccVerifier;
import org.healthcode.codes.dcc.DscList;
import org.healthcode.codes.format.CoseAlgorithm;
import org.healthcode.codes.issue.QrImages;
import org.healthcode.codes.trust.TrustListException;
import org.healthcode.codes.trust.TrustStore;
import org.healthcode.codes.verify.CodeVerifier;
import org.healthcode.codes.verify.IsoInstants;
import org.healthcode.codes.verify.Verdict;

/**
 * {@code ./healthcode verify}: verifies one code offline and prints the verdict as one JSON line.
 * Exit 0 only when valid; 1 for any other verdict; 2 when the command itself cannot run (bad option, unreadable
 * trust list or DSC file), with the reason on stderr and no verdict.
 */
public final class VerifyMain {
    static final String USAGE = """
        usage: verify [CODE | -] [--trust-list FILE]... [--dsc FILE] [--at TIME] [--skew SECONDS]
                      [--hub-key FILE] [--provider jdk|bc] [--qr IMAGE]
          CODE            HCR1:... or HC1:...; '-' or absent: the first non-empty line of stdin
          --trust-list    a region's trust-list file (repeat for other regions)
          --dsc           EU DCC signer certificates, one base64 DER per line
          --at            verify as of this ISO-8601 time (offset optional, UTC if absent); default now
          --skew          clock skew tolerated on iat/exp, seconds (default 30)
          --hub-key       base64 SubjectPublicKeyInfo of the national hub key; trust lists must then carry its signature
          --provider      jdk or bc (default bc)
          --qr            read the code from a picture of the QR code instead
        """;

    private VerifyMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        CodeVerifier verifier;
        String code;
        Instant at;
        try {
            CliArgs a = new CliArgs(
                    args, Set.of("trust-list", "dsc", "at", "skew", "hub-key", "provider", "qr"), Set.of("help"));
            if (a.flag("help")) {
                out.print(USAGE);
                return 0;
            }
            CoseCrypto crypto = new CoseCrypto(CryptoProvider.parse(a.get("provider", "bc")));
            Duration skew = Duration.ofSeconds(Long.parseLong(a.get("skew", "30")));
            at = a.get("at") == null ? Instant.now() : IsoInstants.parse(a.get("at"));
            List<Path> lists = a.all("trust-list").stream().map(Path::of).toList();
            List<PublicKey> hubKeys = new ArrayList<>();
            if (a.get("hub-key") != null) {
                hubKeys.add(hubKey(Path.of(a.get("hub-key")), crypto));
            }
            TrustStore store = TrustStore.load(lists, crypto, hubKeys);
            Optional<DccVerifier> dcc = Optional.empty();
            if (a.get("dsc") != null) {
                dcc = Optional.of(new DccVerifier(DscList.load(Path.of(a.get("dsc"))), crypto, skew));
            }
            verifier = new CodeVerifier(store, crypto, skew, dcc);
            code = readCode(a, stdin);
        } catch (IllegalArgumentException | IOException | TrustListException | GeneralSecurityException e) {
            err.println("verify: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Verdict verdict = verifier.verify(code, at);
        out.println(verdict.toJsonLine());
        return verdict.isValid() ? 0 : 1;
    }

    private static String readCode(CliArgs a, InputStream stdin) throws IOException {
        if (a.get("qr") != null) {
            return QrImages.decode(Files.readAllBytes(Path.of(a.get("qr"))));
        }
        List<String> pos = a.positional();
        if (pos.size() > 1) {
            throw new IllegalArgumentException("one code at a time");
        }
        if (pos.size() == 1 && !pos.get(0).equals("-")) {
            return pos.get(0);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        throw new IllegalArgumentException("no code given (argument or stdin)");
    }

    private static PublicKey hubKey(Path file, CoseCrypto crypto) throws IOException, GeneralSecurityException {
        byte[] spki = Base64.getMimeDecoder().decode(Files.readString(file).strip());
        try {
            return crypto.publicKeyFromSpki(CoseAlgorithm.ES256, spki);
        } catch (GeneralSecurityException notEc) {
            return crypto.publicKeyFromSpki(CoseAlgorithm.EDDSA, spki);
        }
    }
}
