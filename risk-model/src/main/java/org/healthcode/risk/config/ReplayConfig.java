package org.healthcode.risk.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code ReplayJob} is told on its command line, validated at start with every problem reported at once.
 *
 * @param events the JSON Lines archive
 * @param rulesFile rule set JSON, or null for the built-in defaults
 * @param at statuses are given as of this instant; null = the latest event time in the input
 * @param out output directory
 * @param secretFile region secret for pseudonyms of {@code idNumber} lines, or null
 * @param workDir where the development secret lives (default {@code .healthcode/demo}, as for the demo)
 * @param parallelism job parallelism, or -1 for the environment's
 * @param overrideKeyFile the serving process's override signing public key, or null: override events are refused
 */
public record ReplayConfig(Path events, Path rulesFile, Instant at, Path out, Path secretFile, Path workDir,
                           int parallelism, Path overrideKeyFile) {

    public ReplayConfig(Path events, Path rulesFile, Instant at, Path out, Path secretFile, Path workDir,
                        int parallelism) {
        this(events, rulesFile, at, out, secretFile, workDir, parallelism, null);
    }

    public static final String USAGE = """
            usage: ReplayJob --events FILE.jsonl [--rules FILE] [--at TIME] --out DIR [options]
              --events FILE      JSON Lines archive, any line order
              --rules FILE       rule set JSON (default: the built-in DESIGN defaults)
              --at TIME          statuses as of this time, ISO-8601 (default: the latest event time in the input)
              --out DIR          writes changelog.jsonl, statuses.jsonl, rejected.jsonl
              --secret-file FILE region secret for idNumber pseudonyms (else HEALTHCODE_REGION_SECRET,
              --work-dir DIR     else the development secret under DIR, default .healthcode/demo)
              --parallelism N
              --override-key FILE  the serving process's override signing public key: override events are
                                 accepted only signed with it (without it every override is refused)
            """;

    private static final Set<String> OPTIONS = Set.of("--events", "--rules", "--at", "--out", "--secret-file",
            "--work-dir", "--parallelism", "--override-key");

    public static ReplayConfig parse(String[] argv) {
        List<String> problems = new ArrayList<>();
        Args a = Args.parse(argv, OPTIONS, Set.of(), problems);
        String events = a.required("--events");
        if (events != null && !Files.isRegularFile(Path.of(events))) {
            problems.add("--events: no such file: " + events);
        }
        String rules = a.string("--rules", null);
        if (rules != null && !Files.isRegularFile(Path.of(rules))) {
            problems.add("--rules: no such file: " + rules);
        }
        String out = a.required("--out");
        Instant at = null;
        String atText = a.string("--at", null);
        if (atText != null) {
            try {
                at = atText.endsWith("Z") ? Instant.parse(atText) : OffsetDateTime.parse(atText).toInstant();
            } catch (RuntimeException e) {
                problems.add("--at: not an ISO-8601 time with offset (e.g. 2022-04-10T12:00:00+08:00): " + atText);
            }
        }
        String secret = a.string("--secret-file", null);
        ReplayConfig c = new ReplayConfig(
                events == null ? null : Path.of(events).toAbsolutePath(),
                rules == null ? null : Path.of(rules),
                at,
                out == null ? null : Path.of(out),
                secret == null ? null : Path.of(secret),
                Path.of(a.string("--work-dir", ".healthcode/demo")),
                a.positiveInt("--parallelism", -1),
                a.string("--override-key", null) == null ? null : Path.of(a.string("--override-key", null)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return c;
    }
}
