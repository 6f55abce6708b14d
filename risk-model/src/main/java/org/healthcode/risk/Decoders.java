package org.healthcode.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
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
     * As above; override events are accepted only signed with the serving process's key in {@code overrideKeyFile}
     * (null: every override event is refused).
     */
    public static EventDecoder forRegion(Path secretFile, Path workDir, Path nationalKeyFile, Path overrideKeyFile) {
        NationalPseudonym national =
                nationalKeyFile == null && workDir == null && System.getenv(NationalPseudonym.ENV) == null
                        ? null
                        : NationalPseudonym.resolve(nationalKeyFile, System.getenv(), workDir);
        return new StandardEventDecoder(
                new Pseudonymiser(RegionSecret.resolve(secretFile, workDir)), national, overrideKey(overrideKeyFile));
    }

    private static OverrideSignatures.Verifier overrideKey(Path file) {
        if (file == null) {
            return null;
        }
        try {
            return new OverrideSignatures.Verifier(OverrideSignatures.readPublic(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
