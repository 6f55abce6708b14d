package org.healthcode.ingest.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;

/** Shared test fixtures (published in the ingest test-jar): a fixed region secret, valid IDs, a decoder. */
public final class IngestFixtures {
    /** GB 11643's own worked example: a valid ID number. */
    public static final String ALICE_ID = "11010519491231002X";
    /** The other example from GB 11643. */
    public static final String BOB_ID = "440524188001010014";

    public static final String ALICE_PHONE = "13800138000";

    private IngestFixtures() {}

    public static RegionSecret secret(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return RegionSecret.ofBytes(key);
    }

    public static Pseudonymiser pseudonymiser() {
        return new Pseudonymiser(secret(7));
    }

    /** The serving process's override signing key of the fixtures (one per test JVM). */
    public static final java.security.KeyPair OVERRIDE_KEY = OverrideSignatures.generate();

    public static final OverrideSignatures.Signer OVERRIDE_SIGNER =
            new OverrideSignatures.Signer(OVERRIDE_KEY.getPrivate());
    public static final OverrideSignatures.Verifier OVERRIDE_VERIFIER =
            new OverrideSignatures.Verifier(OVERRIDE_KEY.getPublic());

    /** A decoder with the fixtures' region secret, accepting override events signed by {@link #OVERRIDE_SIGNER}. */
    public static StandardEventDecoder decoder() {
        return new StandardEventDecoder(pseudonymiser(), null, OVERRIDE_VERIFIER);
    }

    /** An override event's JSON line with the fixtures' serving-process signature added, as the serving side writes. */
    public static String signed(String line) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            tree.put(OverrideSignatures.FIELD, OVERRIDE_SIGNER.sign(tree));
            return tree.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A flat JSON line with one top-level field removed ({@code fragment} null) or replaced by a {@code "field":value}
     * fragment appended at the end: how the decoder tests build one bad line from one good one.
     */
    public static String withField(String line, String field, String fragment) {
        String out = line.replaceAll(",?\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "");
        out = out.replace("{,", "{");
        return fragment == null ? out : out.substring(0, out.length() - 1) + "," + fragment + "}";
    }
}
