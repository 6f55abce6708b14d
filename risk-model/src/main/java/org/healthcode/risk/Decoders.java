package org.healthcode.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.overrides.OverrideSignatures;
import org.healthcode.ingest.pseudonym.NationalPseudonym;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;

/** Builds ingest's decoder (validation, pseudonyms with the region secret) for the jobs. */
public final class Decoders {
    private Decoders() {}

    /**
     * The region secret from {@code secretFile}, else HEALTHCODE_REGION_SECRET, else the development secret in
     * {@code workDir}; and identity bindings get the national pseudonym: key from {@code nationalKeyFile}, else
     * HEALTHCODE_NATIONAL_KEY, else the development key in {@code workDir} (none when neither is there).
     */
    public static EventDecoder forRegion(Path secretFile, Path workDir, Path nationalKeyFile) {
        return forRegion(secretFile, workDir, nationalKeyFile, null);
    }

    /**
     * As above; override events are accepted only signed with the key in {@code overrideKeyFile}, else with the
     * development key the demo's serving process keeps under {@code workDir} ({@value #DEV_OVERRIDE_KEY}), else none.
     */
    public static EventDecoder forRegion(Path secretFile, Path workDir, Path nationalKeyFile, Path overrideKeyFile) {
        NationalPseudonym national = nationalKeyFile == null && workDir == null
                && System.getenv(NationalPseudonym.ENV) == null
                ? null : NationalPseudonym.resolve(nationalKeyFile, System.getenv(), workDir);
        return new StandardEventDecoder(new Pseudonymiser(RegionSecret.resolve(secretFile, workDir)), national,
                overrideKey(overrideKeyFile, workDir));
    }

    /** Where the demo keeps the development override key pair, under its work directory. */
    static final String DEV_OVERRIDE_KEY = "override-key";

    private static OverrideSignatures.Verifier overrideKey(Path file, Path workDir) {
        Path f = file;
        if (f == null && workDir != null) {
            Path dev = workDir.resolve(DEV_OVERRIDE_KEY).resolve(OverrideSignatures.PUBLIC_KEY_FILE);
            f = Files.exists(dev) ? dev : null;
        }
        if (f == null) {
            return null;
        }
        try {
            return new OverrideSignatures.Verifier(OverrideSignatures.readPublic(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
