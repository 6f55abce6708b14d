package org.healthcode.analyst.whatif;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.rules.RuleSetJson;

/**
 * A rule set as a what-if names it: the file, the version it declares and the SHA-256 of its bytes.
 *
 * @param label A or B
 * @param file the rule file
 * @param version the rule set's declared version
 * @param sha256 hex SHA-256 of the file's bytes
 */
public record RuleFile(String label, Path file, String version, String sha256) {

    /** Reads and validates the rule file (an invalid one fails here, naming every bad field). */
    public static RuleFile read(String label, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        RuleSet rules = RuleSetJson.parse(bytes);
        try {
            return new RuleFile(
                    label,
                    file,
                    rules.version(),
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
