package org.healthcode.analyst.whatif;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.healthcode.analyst.report.ReportHtml;
import org.healthcode.analyst.tables.ParquetFiles;
import org.healthcode.analyst.tables.Table;
import org.healthcode.ingest.decode.EventDecoder;
import org.healthcode.risk.ReplayJob;
import org.healthcode.risk.config.ReplayConfig;
import org.healthcode.risk.sources.ArchiveFiles;

/**
 * What-if between two rule sets: replays the archive once per rule set, compares the two at each day's end and
 * writes the tables (CSV and Parquet), {@code persons.jsonl} and {@code report.html} to the output directory. The
 * same archive, rules and command give the same files.
 */
public final class WhatIf {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a what-if wrote, for the report and the command's last line. */
    public record Result(
            WhatIfConfig config,
            ArchiveFiles archive,
            ArchiveFacts facts,
            RuleFile a,
            RuleFile b,
            String engineVersion,
            Comparison comparison,
            List<Override> overrides,
            Map<String, Long> rejections) {}

    private WhatIf() {}

    /**
     * @param cfg what to compare
     * @param envs a fresh execution environment for each replay
     * @param decoder ingest's decoder with the region's secret (as the replays use)
     */
    public static Result run(WhatIfConfig cfg, Supplier<StreamExecutionEnvironment> envs, EventDecoder decoder)
            throws Exception {
        RuleFile a = RuleFile.read("A", cfg.rulesA());
        RuleFile b = RuleFile.read("B", cfg.rulesB());
        Files.createDirectories(cfg.out());
        ArchiveFiles archive = ArchiveFiles.scan(cfg.events());
        ReplayConfig replay = new ReplayConfig(
                cfg.events(),
                null,
                null,
                null,
                cfg.secretFile(),
                cfg.workDir(),
                cfg.parallelism(),
                ReplayConfig.Mode.FAST,
                null,
                true);
        Path outA = cfg.out().resolve("replay-a");
        Path outB = cfg.out().resolve("replay-b");
        ReplayJob.replay(envs.get(), replay.withRules(cfg.rulesA(), outA), decoder);
        ReplayJob.replay(envs.get(), replay.withRules(cfg.rulesB(), outB), decoder);
        ArchiveFacts facts = ArchiveFacts.read(archive, decoder, cfg.districtDigits());

        List<Change> changesA = Change.readChangelog(outA.resolve("changelog.jsonl"));
        List<Change> changesB = Change.readChangelog(outB.resolve("changelog.jsonl"));
        LocalDate first = facts.firstEventTime() == Long.MAX_VALUE
                ? LocalDate.of(1970, 1, 1)
                : Instant.ofEpochMilli(facts.firstEventTime())
                        .atZone(cfg.zone())
                        .toLocalDate();
        LocalDate last = facts.lastEventTime() == Long.MIN_VALUE
                ? first
                : Instant.ofEpochMilli(facts.lastEventTime()).atZone(cfg.zone()).toLocalDate();
        Comparison c =
                Comparison.of(changesA, changesB, facts.population(), facts.districtOf(), first, last, cfg.zone());
        List<Override> overrides = Override.read(outA.resolve("audit.jsonl"));
        Map<String, Long> rejections = rejectionsByCategory(outA.resolve("rejected.jsonl"));
        Result r = new Result(cfg, archive, facts, a, b, engineVersion(), c, overrides, rejections);

        for (Table t : tables(r)) {
            Path csv = t.writeCsv(cfg.out());
            ParquetFiles.write(t, csv, cfg.out());
        }
        writePersons(cfg.out().resolve("persons.jsonl"), c);
        Files.writeString(cfg.out().resolve("report.html"), ReportHtml.render(r), StandardCharsets.UTF_8);
        return r;
    }

    /** The tables of a what-if, each written as CSV and Parquet. */
    public static List<Table> tables(Result r) {
        Comparison c = r.comparison();
        Table colours = Table.of("colours_by_day", "day", "district", "colour", "persons_a", "persons_b");
        c.colours().forEach(x -> colours.add(x.day().toString(), x.district(), x.key(), x.a(), x.b()));
        Table reasons = Table.of("reasons_by_day", "day", "district", "reason", "persons_a", "persons_b");
        c.reasons().forEach(x -> reasons.add(x.day().toString(), x.district(), x.key(), x.a(), x.b()));
        Table newReds = Table.of("new_reds_by_day", "day", "district", "reason", "persons_a", "persons_b");
        c.newReds().forEach(x -> newReds.add(x.day().toString(), x.district(), x.key(), x.a(), x.b()));
        Table differences = Table.of(
                "differences", "day", "district", "person_id", "colour_a", "colour_b", "reasons_a", "reasons_b");
        c.differences()
                .forEach(x -> differences.add(
                        x.day().toString(),
                        x.district(),
                        x.personId(),
                        x.colourA(),
                        x.colourB(),
                        String.join(" ", x.reasonsA()),
                        String.join(" ", x.reasonsB())));
        Table overrides = Table.of(
                "overrides",
                "request_id",
                "person_id",
                "district",
                "colour",
                "basis",
                "requester",
                "approvers",
                "requested",
                "expiry",
                "state",
                "applied");
        r.overrides()
                .forEach(o -> overrides.add(
                        o.requestId(),
                        o.personId(),
                        r.facts().districtOf().getOrDefault(o.personId(), Comparison.UNKNOWN_DISTRICT),
                        o.colour(),
                        o.basis(),
                        o.requester(),
                        String.join(" ", o.approvers()),
                        o.requested(),
                        o.expiry(),
                        o.state(),
                        String.valueOf(o.applied())));
        Table rejected = Table.of("rejections", "category", "records");
        r.rejections().forEach((k, v) -> rejected.add(k, v));
        return List.of(colours, reasons, newReds, differences, overrides, rejected);
    }

    private static Map<String, Long> rejectionsByCategory(Path rejectedJsonl) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (String line : Files.readAllLines(rejectedJsonl)) {
            if (!line.isBlank()) {
                m.merge(JSON.readTree(line).path("category").asText("unknown"), 1L, Long::sum);
            }
        }
        return m;
    }

    private static void writePersons(Path file, Comparison c) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Comparison.PersonDiff p : c.persons()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("personId", p.personId());
                n.put("district", p.district());
                ArrayNode days = n.putArray("daysDiffering");
                p.days().forEach(d -> days.add(d.toString()));
                timeline(n.putArray("a"), p.a());
                timeline(n.putArray("b"), p.b());
                w.write(JSON.writeValueAsString(n));
                w.write('\n');
            }
        }
    }

    private static void timeline(ArrayNode out, List<Change> changes) {
        for (Change ch : changes) {
            ObjectNode n = out.addObject();
            n.put("effective", Instant.ofEpochMilli(ch.effective()).toString());
            n.put("colour", ch.colour());
            ArrayNode reasons = n.putArray("reasons");
            ch.reasons().forEach(reasons::add);
        }
    }

    /** The engine's version, from the build. */
    public static String engineVersion() {
        try (InputStream in = WhatIf.class.getResourceAsStream("/org/healthcode/analyst/engine.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
