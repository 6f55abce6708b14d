package org.healthcode.analyst.whatif;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./healthcode whatif} is told, validated at start with every problem reported at once.
 *
 * @param events the archive (JSON Lines file, gzip, or a directory of daily files)
 * @param rulesA the first rule set
 * @param rulesB the second rule set
 * @param out output directory
 * @param secretFile region secret for idNumber pseudonyms, or null
 * @param workDir where the development secret lives
 * @param zone where days end (default +08:00)
 * @param districtDigits how many leading digits of an area code make a district (default 6)
 * @param parallelism of each replay, or -1
 * @param command the command line as given, stated in the report
 * @param overrideKeyFile the serving process's override signing public key (overrides in the archive apply only
 *     signed with it), or null: override events are refused
 */
public record WhatIfConfig(
        Path events,
        Path rulesA,
        Path rulesB,
        Path out,
        Path secretFile,
        Path workDir,
        ZoneId zone,
        int districtDigits,
        int parallelism,
        String command,
        Path overrideKeyFile) {

    public static final String USAGE = """
            usage: ./healthcode whatif --events ARCHIVE --rules A.json --rules B.json --out DIR [options]
              --events FILE|DIR  JSON Lines archive: a file (gzip when it ends in .gz) or a directory of daily files
              --rules FILE       twice: rule set A, then rule set B
              --out DIR          writes the CSV and Parquet tables, persons.jsonl, report.html, and both replays
                                 under replay-a/ and replay-b/
              --zone ZONE        where days end (default +08:00)
              --district-digits N  leading digits of the area code that make a district (default 6)
              --secret-file FILE region secret for idNumber pseudonyms (else HEALTHCODE_REGION_SECRET,
              --work-dir DIR     else the development secret under DIR, default .healthcode/demo)
              --parallelism N
              --override-key FILE  the serving process's override signing public key: overrides in the archive
                                 apply only signed with it (without it every override is refused)
            """;

    public static WhatIfConfig parse(String[] argv) {
        List<String> problems = new ArrayList<>();
        String events = null;
        List<String> rules = new ArrayList<>();
        String out = null;
        String secret = null;
        String work = ".healthcode/demo";
        String zone = "+08:00";
        int digits = 6;
        int parallelism = -1;
        String overrideKey = null;
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (i + 1 >= argv.length) {
                problems.add(k + ": missing value");
                break;
            }
            String v = argv[++i];
            switch (k) {
                case "--events" -> events = v;
                case "--rules" -> rules.add(v);
                case "--out" -> out = v;
                case "--secret-file" -> secret = v;
                case "--work-dir" -> work = v;
                case "--zone" -> zone = v;
                case "--district-digits" -> digits = number(k, v, 1, 6, problems);
                case "--parallelism" -> parallelism = number(k, v, 1, 1024, problems);
                case "--override-key" -> overrideKey = v;
                default -> {
                    problems.add(k + ": unknown option");
                    i--;
                }
            }
        }
        if (events == null) {
            problems.add("--events: required");
        } else if (!Files.exists(Path.of(events))) {
            problems.add("--events: no such file or directory: " + events);
        }
        if (rules.size() != 2) {
            problems.add("--rules: give exactly two rule files (A, then B), not " + rules.size());
        }
        for (String r : rules) {
            if (!Files.isRegularFile(Path.of(r))) {
                problems.add("--rules: no such file: " + r);
            }
        }
        if (out == null) {
            problems.add("--out: required");
        }
        if (overrideKey != null && !Files.isRegularFile(Path.of(overrideKey))) {
            problems.add("--override-key: no such file: " + overrideKey);
        }
        ZoneId z = null;
        try {
            z = ZoneId.of(zone);
        } catch (DateTimeException e) {
            problems.add("--zone: not a zone or offset (e.g. +08:00, Asia/Shanghai): " + zone);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new WhatIfConfig(
                Path.of(events).toAbsolutePath(),
                Path.of(rules.get(0)),
                Path.of(rules.get(1)),
                Path.of(out),
                secret == null ? null : Path.of(secret),
                Path.of(work),
                z,
                digits,
                parallelism,
                "./healthcode whatif " + String.join(" ", argv),
                overrideKey == null ? null : Path.of(overrideKey));
    }

    private static int number(String k, String v, int min, int max, List<String> problems) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(k + ": a whole number from " + min + " to " + max + ", not " + v);
        return min;
    }
}
