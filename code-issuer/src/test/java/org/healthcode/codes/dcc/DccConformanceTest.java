package org.healthcode.codes.dcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.healthcode.codes.crypto.CoseCrypto;
import org.healthcode.codes.crypto.CryptoProvider;
import org.healthcode.codes.format.Base45;
import org.healthcode.codes.format.Cbor;
import org.healthcode.codes.format.CoseSign1;
import org.healthcode.codes.format.Zlib;
import org.healthcode.codes.issue.QrImages;
import org.healthcode.codes.support.TestCorpus;
import org.healthcode.codes.verify.EnvelopeChecks;
import org.healthcode.codes.verify.IsoInstants;
import org.junit.jupiter.api.Test;

/**
 * Runs every file of the EU DCC test corpus (test resource dcc/{country}/2DCode/raw/*.json, see dcc/ORIGIN.md) against its
 * EXPECTEDRESULTS flags, step by step through the library's own checks, honouring known_issues.csv; prints counts
 * per flag. A flag whose input fields are missing from a file is "not tested here" (as upstream), and counted;
 * a missing 2DCODE is looked for in the country's png/ folder first.
 * SCHEMAVALIDATION is not run (no DCC JSON schema in the corpus).
 */
class DccConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FLAGS = List.of(
            "UNPREFIX",
            "B45DECODE",
            "COMPRESSION",
            "DECODE",
            "VALIDJSON",
            "VERIFY",
            "EXPIRATIONCHECK",
            "KEYUSAGE",
            "PICTUREDECODE");
    /** Upstream pytest names in known_issues.csv -> our flags. */
    private static final Map<String, String> KNOWN_ISSUE_TESTS = Map.ofEntries(
            Map.entry("test_un_prefix", "UNPREFIX"),
            Map.entry("test_b45decode", "B45DECODE"),
            Map.entry("test_compression", "COMPRESSION"),
            Map.entry("test_cose_json", "DECODE"),
            Map.entry("test_cose_cbor", "DECODE"),
            Map.entry("test_cbor_json", "VALIDJSON"),
            Map.entry("test_verification_check", "VERIFY"),
            Map.entry("test_expiration_check", "EXPIRATIONCHECK"),
            Map.entry("test_expected_key_usage", "KEYUSAGE"),
            Map.entry("test_picture_decode", "PICTUREDECODE"),
            Map.entry("test_cose_schema", "SCHEMAVALIDATION"));

    private final CoseCrypto crypto = new CoseCrypto(CryptoProvider.JDK);

    @Test
    void everyCorpusFileMeetsItsExpectedResults() throws IOException {
        Path corpus = TestCorpus.directory("dcc");
        List<String[]> knownIssues = knownIssues(corpus.resolve("known_issues.csv"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> p.getParent().getFileName().toString().equals("raw")
                            && p.getParent()
                                    .getParent()
                                    .getFileName()
                                    .toString()
                                    .equals("2DCode"))
                    .sorted()
                    .toList();
        }
        Map<String, int[]> counts =
                new LinkedHashMap<>(); // flag -> {expected true ok, expected false ok, not tested, known issue}
        FLAGS.forEach(f -> counts.put(f, new int[4]));
        int schemaSkipped = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path file : files) {
            JsonNode raw = JSON.readTree(file.toFile());
            String country = corpus.relativize(file).getName(0).toString();
            String testSet = file.getFileName().toString().replaceFirst("\\.json$", "");
            JsonNode expected = raw.path("EXPECTEDRESULTS");
            if (expected.has("EXPECTEDSCHEMAVALIDATION")) {
                schemaSkipped++;
            }
            for (String flag : FLAGS) {
                JsonNode want = expected.get("EXPECTED" + flag);
                if (want == null || !want.isBoolean()) {
                    continue;
                }
                int[] c = counts.get(flag);
                Boolean got = run(flag, raw);
                if (got == null && flag.equals("PICTUREDECODE") && has(raw, "PREFIX")) {
                    got = pictureFromPngDirectory(corpus.resolve(country).resolve("png"), testSet, raw);
                }
                if (got == null) {
                    c[2]++;
                } else if (got == want.booleanValue()) {
                    c[want.booleanValue() ? 0 : 1]++;
                } else if (isKnownIssue(knownIssues, flag, country, testSet)) {
                    c[3]++;
                } else {
                    mismatches.add(corpus.relativize(file) + " " + flag + ": expected " + want + ", got " + got
                            + lastError(flag, raw));
                }
            }
        }
        System.out.printf("EU DCC conformance: %d files under %s%n", files.size(), corpus);
        System.out.printf("%-16s %8s %8s %10s %12s%n", "flag", "pass(t)", "pass(f)", "not-tested", "known-issue");
        counts.forEach((flag, c) -> System.out.printf("%-16s %8d %8d %10d %12d%n", flag, c[0], c[1], c[2], c[3]));
        System.out.printf("%-16s skipped in %d files (no schema validation)%n", "SCHEMAVALIDATION", schemaSkipped);
        mismatches.forEach(m -> System.out.println("MISMATCH " + m));

        assertThat(files).hasSizeGreaterThan(300);
        assertThat(mismatches).isEmpty();
        counts.forEach((flag, c) ->
                assertThat(c[0] + c[1]).as("files passing %s", flag).isPositive());
    }

    /** Runs one flag's step: TRUE when the step succeeds, FALSE when it fails, null when the file lacks its inputs. */
    private Boolean run(String flag, JsonNode raw) {
        try {
            return switch (flag) {
                case "UNPREFIX" -> has(raw, "PREFIX", "BASE45") ? unprefix(raw) : null;
                case "B45DECODE" -> has(raw, "BASE45", "COMPRESSED") ? base45(raw) : null;
                case "COMPRESSION" -> has(raw, "COMPRESSED", "COSE") ? compression(raw) : null;
                case "DECODE" ->
                    has(raw, "COSE") && (has(raw, "CBOR") || has(raw, "JSON"))
                            ? decode(raw)
                            : has(raw, "CBOR", "JSON") ? cborMatchesJson(raw) : null;
                case "VALIDJSON" ->
                    has(raw, "JSON") && (has(raw, "PREFIX") || has(raw, "CBOR")) ? validJson(raw) : null;
                case "VERIFY" -> has(raw, "COSE") && hasCertificate(raw) ? verify(raw) : null;
                case "EXPIRATIONCHECK" ->
                    has(raw, "COSE") && hasCertificate(raw) && hasClock(raw) ? expiration(raw) : null;
                case "KEYUSAGE" -> has(raw, "COSE") && hasCertificate(raw) ? keyUsage(raw) : null;
                case "PICTUREDECODE" -> has(raw, "2DCODE", "PREFIX") ? picture(raw) : null;
                default -> throw new IllegalArgumentException(flag);
            };
        } catch (Exception e) {
            return Boolean.FALSE;
        }
    }

    private String lastError(String flag, JsonNode raw) {
        try {
            if (flag.equals("VERIFY") || flag.equals("EXPIRATIONCHECK") || flag.equals("KEYUSAGE")) {
                DccVerifier v = verifier(raw);
                CoseSign1 cose = CoseSign1.decode(hex(raw, "COSE"));
                v.checkSignature(cose);
            }
            return "";
        } catch (Exception e) {
            return " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    private static boolean unprefix(JsonNode raw) throws Exception {
        return DccVerifier.unprefix(raw.get("PREFIX").asText())
                .equals(raw.get("BASE45").asText());
    }

    private static boolean base45(JsonNode raw) throws Exception {
        return Arrays.equals(Base45.decode(raw.get("BASE45").asText()), hex(raw, "COMPRESSED"));
    }

    private static boolean compression(JsonNode raw) throws Exception {
        return Arrays.equals(Zlib.inflate(hex(raw, "COMPRESSED")), hex(raw, "COSE"));
    }

    /** COSE payload against CBOR (at whichever level CBOR is given) and its hcert against JSON. */
    private static boolean decode(JsonNode raw) throws Exception {
        JsonNode claims = Cbor.read(CoseSign1.decode(hex(raw, "COSE")).payload());
        boolean ok = true;
        if (has(raw, "CBOR")) {
            JsonNode cbor = Cbor.read(hex(raw, "CBOR"));
            JsonNode side = cbor.has("-260") ? claims : hcertOf(claims);
            ok = canonical(cbor).equals(canonical(side));
        }
        if (has(raw, "JSON")) {
            ok &= canonical(hcertOf(claims)).equals(canonical(raw.get("JSON")));
        }
        return ok;
    }

    private static boolean cborMatchesJson(JsonNode raw) throws Exception {
        JsonNode cbor = Cbor.read(hex(raw, "CBOR"));
        JsonNode hcert = cbor.has("-260") ? hcertOf(cbor) : cbor;
        return canonical(hcert).equals(canonical(raw.get("JSON")));
    }

    /** The whole chain from PREFIX (and the CBOR field, when given) decodes to the JSON. */
    private static boolean validJson(JsonNode raw) throws Exception {
        boolean ok = true;
        if (has(raw, "PREFIX")) {
            CoseSign1 cose =
                    EnvelopeChecks.unpack(DccVerifier.unprefix(raw.get("PREFIX").asText()));
            ok = canonical(hcertOf(Cbor.read(cose.payload()))).equals(canonical(raw.get("JSON")));
        }
        if (has(raw, "CBOR")) {
            ok &= cborMatchesJson(raw);
        }
        return ok;
    }

    private boolean verify(JsonNode raw) throws Exception {
        CoseSign1 cose = CoseSign1.decode(hex(raw, "COSE"));
        verifier(raw).checkSignature(cose);
        DccVerifier.checkClaims(cose);
        return true;
    }

    private boolean expiration(JsonNode raw) throws Exception {
        DccVerifier v = verifier(raw);
        DccClaims claims = DccVerifier.checkClaims(CoseSign1.decode(hex(raw, "COSE")));
        v.checkSignerValidity(claims, certificate(raw));
        v.checkValidity(claims, clock(raw));
        return true;
    }

    private boolean keyUsage(JsonNode raw) throws Exception {
        DccClaims claims = DccVerifier.checkClaims(CoseSign1.decode(hex(raw, "COSE")));
        DccVerifier.checkKeyUsage(claims, certificate(raw));
        return true;
    }

    private static boolean picture(JsonNode raw) throws Exception {
        byte[] png = Base64.getMimeDecoder().decode(raw.get("2DCODE").asText());
        return QrImages.decode(png).equals(raw.get("PREFIX").asText());
    }

    /**
     * Some FR files carry no 2DCODE field but their picture lies in {country}/png under a near name
     * ("DGC_QrCode_00001.png" for "DGC_QrCode_00001_Raw.json", "test-pcr_ok.png"); read it from there.
     */
    private static Boolean pictureFromPngDirectory(Path pngDir, String testSet, JsonNode raw) {
        String base = testSet.replaceFirst("_Raw$", "");
        for (String name : List.of(base, base.replace('_', '-'), base.replaceFirst("_", "-"))) {
            Path png = pngDir.resolve(name + ".png");
            if (Files.isRegularFile(png)) {
                try {
                    return QrImages.decode(Files.readAllBytes(png))
                            .equals(raw.get("PREFIX").asText());
                } catch (IOException e) {
                    return Boolean.FALSE;
                }
            }
        }
        return null;
    }

    private DccVerifier verifier(JsonNode raw) throws Exception {
        return new DccVerifier(DscList.of(List.of(certificate(raw))), crypto, Duration.ZERO);
    }

    private static X509Certificate certificate(JsonNode raw) throws Exception {
        return DscList.parse(raw.path("TESTCTX").path("CERTIFICATE").asText());
    }

    private static Instant clock(JsonNode raw) {
        return IsoInstants.parse(raw.path("TESTCTX").path("VALIDATIONCLOCK").asText());
    }

    private static JsonNode hcertOf(JsonNode claims) {
        return claims.path("-260").path("1");
    }

    private static boolean has(JsonNode raw, String... fields) {
        for (String f : fields) {
            JsonNode v = raw.get(f);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCertificate(JsonNode raw) {
        return !raw.path("TESTCTX").path("CERTIFICATE").asText().isEmpty();
    }

    private static boolean hasClock(JsonNode raw) {
        return !raw.path("TESTCTX").path("VALIDATIONCLOCK").asText().isEmpty();
    }

    private static byte[] hex(JsonNode raw, String field) {
        return HexFormat.of().parseHex(raw.get(field).asText().strip());
    }

    /**
     * An order-free text form for comparing decoded CBOR with the file's JSON: maps by sorted key, arrays sorted,
     * numbers by value, date-times as whole UTC seconds (issuers write the same instant in several formats).
     */
    static String canonical(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "<missing>";
        }
        if (node.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            return sorted.toString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n)));
            items.sort(null);
            return items.toString();
        }
        if (node.isNumber()) {
            return new BigDecimal(node.asText()).stripTrailingZeros().toPlainString();
        }
        if (node.isTextual()) {
            String t = node.asText();
            if (t.length() > 10 && t.charAt(10) == 'T') {
                try {
                    return IsoInstants.parse(t).truncatedTo(ChronoUnit.SECONDS).toString();
                } catch (IllegalArgumentException notADateTime) {
                    return t;
                }
            }
            return t;
        }
        if (node.isBinary()) {
            try {
                return Base64.getEncoder().encodeToString(node.binaryValue());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return node.toString();
    }

    private static List<String[]> knownIssues(Path csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line :
                Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            if (!line.isBlank()) {
                rows.add(line.split(",", -1));
            }
        }
        return rows;
    }

    /** A row matches when its test maps to the flag, its country is the directory and its test set empty or the file. */
    private static boolean isKnownIssue(List<String[]> rows, String flag, String country, String testSet) {
        for (String[] r : rows) {
            String rowFlag = r[0].isEmpty() ? flag : KNOWN_ISSUE_TESTS.get(r[0]);
            if (flag.equals(rowFlag) && r[1].equalsIgnoreCase(country) && (r[2].isEmpty() || r[2].equals(testSet))) {
                return true;
            }
        }
        return false;
    }

    static Set<String> flags() {
        return Set.copyOf(FLAGS);
    }
}
