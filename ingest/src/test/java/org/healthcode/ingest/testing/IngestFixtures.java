package org.healthcode.ingest.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.healthcode.ingest.decode.StandardEventDecoder;
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

    public static StandardEventDecoder decoder() {
        return new StandardEventDecoder(pseudonymiser());
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
