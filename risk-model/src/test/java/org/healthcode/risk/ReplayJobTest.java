package org.healthcode.risk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.ingest.sinks.JsonLinesSink;
import org.healthcode.risk.config.ReplayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Replay over an unsorted archive: event-time results, as-of statuses, rejected lines, byte-identical reruns. */
class ReplayJobTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Alice: positive on Monday, confirmed Tuesday. Bob: close contact exposed Monday 10:00, negative the next Tuesday. */
    private static final List<String> ARCHIVE = List.of(
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-1\",\"time\":\"2022-04-04T09:00:00+08:00\",\"region\":\"440100\",\"personId\":\"alice\",\"method\":\"pcr\",\"result\":\"positive\"}",
            "{\"feed\":\"police\",\"type\":\"contact_designation\",\"eventId\":\"trace-1\",\"time\":\"2022-04-05T20:00:00+08:00\",\"region\":\"440100\",\"personId\":\"bob\",\"degree\":1,\"exposure\":\"2022-04-04T10:00:00+08:00\",\"caseId\":\"c1\"}",
            "{not json",
            "{\"feed\":\"health\",\"type\":\"diagnosis\",\"eventId\":\"dx-1\",\"time\":\"2022-04-05T15:00:00+08:00\",\"region\":\"440100\",\"personId\":\"alice\",\"status\":\"confirmed\"}",
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-2\",\"time\":\"2022-04-12T09:00:00+08:00\",\"region\":\"440100\",\"personId\":\"bob\",\"method\":\"pcr\",\"result\":\"negative\"}",
            "{\"feed\":\"health\",\"type\":\"diagnosis\",\"eventId\":\"dx-2\",\"time\":\"2022-04-05T15:00:00+08:00\",\"region\":\"440100\",\"personId\":\"carol\",\"status\":\"maybe\"}");

    private Path archive(String name, List<String> lines) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    private Path replay(Path events, Instant at, String out) throws Exception {
        return replay(events, at, out, ReplayConfig.Mode.STREAMING);
    }

    private Path replay(Path events, Instant at, String out, ReplayConfig.Mode mode) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Path outDir = dir.resolve(out);
        ReplayJob.replay(
                env,
                new ReplayConfig(events, null, at, outDir, null, null, 2).withMode(mode),
                new StandardEventDecoder(
                        new Pseudonymiser(RegionSecret.ofBytes(new byte[32])),
                        null,
                        org.healthcode.ingest.testing.IngestFixtures.OVERRIDE_VERIFIER));
        return outDir;
    }

    /**
     * A synthetic city's lines shuffled, with malformed records, one in twenty lines twice, and the carrier's first
     * day moved to the end of the file (a day late).
     */
    private static List<String> cityWithLateShuffledAndDuplicateLines() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        SyntheticCity city = new SyntheticCity(new CityConfig(400, 2, 21, CityConfig.DEFAULT_START, 0, 0.002));
        city.run(new JsonLinesSink(bytes, false));
        List<String> lines =
                new ArrayList<>(List.of(bytes.toString(StandardCharsets.UTF_8).split("\n")));
        Random random = new Random(21);
        Collections.shuffle(lines, random);
        List<String> out = new ArrayList<>();
        List<String> lateCarrier = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("\"feed\":\"carrier\"") && l.contains("\"time\":\"2022-04-01")) {
                lateCarrier.add(l);
            } else {
                out.add(l);
            }
            if (random.nextInt(20) == 0) {
                out.add(l);
            }
        }
        out.addAll(lateCarrier);
        return out;
    }

    @Test
    void fastModeGzipAndDailyFilesGiveTheStreamingReplaysFilesByteForByte() throws Exception {
        List<String> lines = cityWithLateShuffledAndDuplicateLines();
        Path file = archive("city.jsonl", lines);
        Path streaming = replay(file, null, "streaming", ReplayConfig.Mode.STREAMING);
        Path fast = replay(file, null, "fast", ReplayConfig.Mode.FAST);

        Path daily = Files.createDirectories(dir.resolve("daily"));
        int half = lines.size() / 2;
        Files.write(daily.resolve("2022-04-01.jsonl"), lines.subList(0, half), StandardCharsets.UTF_8);
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(daily.resolve("2022-04-02.jsonl.gz")))) {
            gz.write((String.join("\n", lines.subList(half, lines.size())) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path fromDaily = replay(daily, null, "daily", ReplayConfig.Mode.FAST);

        assertThat(read(streaming.resolve("changelog.jsonl")))
                .as("the city makes status changes")
                .hasSizeGreaterThan(10);
        assertThat(read(streaming.resolve("rejected.jsonl")))
                .as("and rejects its malformed records")
                .isNotEmpty();
        for (String f : List.of("changelog.jsonl", "statuses.jsonl", "rejected.jsonl", "audit.jsonl")) {
            assertThat(Files.readAllBytes(fast.resolve(f)))
                    .as("fast " + f)
                    .isEqualTo(Files.readAllBytes(streaming.resolve(f)));
            assertThat(Files.readAllBytes(fromDaily.resolve(f)))
                    .as("daily files, one gzip: " + f)
                    .isEqualTo(Files.readAllBytes(streaming.resolve(f)));
        }
    }

    private static List<JsonNode> read(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static String colourOf(List<JsonNode> statuses, String person) {
        return statuses.stream()
                .filter(n -> n.get("personId").asText().equals(person))
                .findFirst()
                .orElseThrow()
                .get("colour")
                .asText();
    }

    @Test
    void statusesAreAsOfTheLatestEventTimeByDefaultAndTheChangelogHasEveryChange() throws Exception {
        Path out = replay(archive("a.jsonl", ARCHIVE), null, "default");
        List<JsonNode> statuses = read(out.resolve("statuses.jsonl"));
        assertThat(colourOf(statuses, "alice")).isEqualTo("red");
        // bob's yellow phase ends at exposure + 10 d (after the latest event): the end of input fired that timer,
        // but as of the latest event he is still yellow
        assertThat(colourOf(statuses, "bob")).isEqualTo("yellow");
        List<JsonNode> changelog = read(out.resolve("changelog.jsonl"));
        assertThat(changelog)
                .filteredOn(n -> n.get("personId").asText().equals("bob"))
                .extracting(
                        n -> n.get("colour").asText() + "@" + n.get("effective").asText())
                .containsExactly(
                        "red@2022-04-05T12:00:00Z", "yellow@2022-04-11T02:00:00Z", "green@2022-04-14T02:00:00Z");
        List<JsonNode> rejected = read(out.resolve("rejected.jsonl"));
        assertThat(rejected).extracting(n -> n.get("line").asLong()).containsExactly(3L, 6L);
        assertThat(rejected.get(0).get("raw").asText()).isEqualTo("{not json");
        assertThat(rejected.get(1).get("reason").asText()).contains("status");
    }

    @Test
    void anAsOfTimeGivesTheStatusesThen() throws Exception {
        Path out = replay(archive("a.jsonl", ARCHIVE), Instant.parse("2022-04-05T06:00:00Z"), "early");
        List<JsonNode> statuses = read(out.resolve("statuses.jsonl"));
        assertThat(colourOf(statuses, "alice")).isEqualTo("red");
        assertThat(statuses.stream()
                        .filter(n -> n.get("personId").asText().equals("alice"))
                        .findFirst()
                        .orElseThrow()
                        .get("conditions")
                        .get(0)
                        .get("reason")
                        .asText())
                .isEqualTo("positive_test");
        assertThat(colourOf(statuses, "bob")).isEqualTo("green");
    }

    @Test
    void twoRunsGiveByteIdenticalFilesAndLineOrderDoesNotChangeResults() throws Exception {
        Path a = archive("a.jsonl", ARCHIVE);
        Path first = replay(a, null, "first");
        Path second = replay(a, null, "second");
        for (String f : List.of("changelog.jsonl", "statuses.jsonl", "rejected.jsonl")) {
            assertThat(Files.readAllBytes(second.resolve(f))).as(f).isEqualTo(Files.readAllBytes(first.resolve(f)));
        }
        List<String> shuffled = new ArrayList<>(ARCHIVE);
        Collections.shuffle(shuffled, new Random(3));
        Path other = replay(archive("b.jsonl", shuffled), null, "shuffled");
        for (String f : List.of("changelog.jsonl", "statuses.jsonl")) {
            assertThat(Files.readAllBytes(other.resolve(f))).as(f).isEqualTo(Files.readAllBytes(first.resolve(f)));
        }
    }

    /**
     * Dave: a wrong positive, appealed; op-chen requests green, self-approval as "Op-Chen" refused, an unsigned
     * approval by op-wang (not written by the serving process) rejected, op-li approves.
     */
    private static final List<String> APPEAL = List.of(
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-9\",\"time\":\"2022-04-04T09:00:00+08:00\",\"personId\":\"dave\",\"method\":\"pcr\",\"result\":\"positive\"}",
            signed(
                    "{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"appr-2\",\"time\":\"2022-04-05T11:00:00+08:00\",\"requestId\":\"appeal-1\",\"approver\":\"op-li\"}"),
            signed(
                    "{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"appr-1\",\"time\":\"2022-04-05T10:30:00+08:00\",\"requestId\":\"appeal-1\",\"approver\":\"Op-Chen\"}"),
            "{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"appr-0\",\"time\":\"2022-04-05T10:15:00+08:00\",\"requestId\":\"appeal-1\",\"approver\":\"op-wang\"}",
            signed(
                    "{\"feed\":\"overrides\",\"type\":\"override_request\",\"eventId\":\"req-1\",\"time\":\"2022-04-05T10:00:00+08:00\",\"personId\":\"dave\",\"requestId\":\"appeal-1\",\"colour\":\"green\",\"basis\":\"lab letter 2022-118\",\"expiry\":\"2022-04-12T10:00:00+08:00\",\"requester\":\"op-chen\"}"),
            signed(
                    "{\"feed\":\"overrides\",\"type\":\"override_request\",\"eventId\":\"req-2\",\"time\":\"2022-04-05T12:00:00+08:00\",\"personId\":\"erin\",\"requestId\":\"appeal-2\",\"colour\":\"red\",\"expiry\":\"2022-04-12T10:00:00+08:00\",\"requester\":\"op-chen\"}"),
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-10\",\"time\":\"2022-04-06T09:00:00+08:00\",\"personId\":\"frank\",\"method\":\"pcr\",\"result\":\"negative\"}");

    private static String signed(String line) {
        return org.healthcode.ingest.testing.IngestFixtures.signed(line);
    }

    @Test
    void overridesAreAuditedInAuditJsonlAndAnApprovedOneDecidesTheColour() throws Exception {
        Path events = archive("appeal.jsonl", APPEAL);
        Path out = replay(events, null, "appeal");
        List<JsonNode> audit = read(out.resolve("audit.jsonl"));
        assertThat(audit)
                .extracting(n -> n.get("eventId").asText() + " "
                        + n.get("action").asText() + " " + n.get("result").asText() + " "
                        + n.get("state").asText())
                .containsExactly(
                        "req-1 request accepted pending",
                        "appr-0 approval refused none",
                        "appr-1 approval refused pending",
                        "appr-2 approval accepted active",
                        "req-2 request refused none");
        assertThat(audit.get(1).get("reason").asText()).startsWith("missing field 'signature'");
        assertThat(audit.get(2).get("reason").asText()).startsWith("self-approval");
        assertThat(audit.get(2).get("caller").asText()).isEqualTo("op-chen");
        assertThat(audit.get(3).get("caller").asText()).isEqualTo("op-li");
        assertThat(audit.get(4).get("reason").asText()).startsWith("missing field 'basis'");
        assertThat(read(out.resolve("rejected.jsonl")))
                .extracting(r -> r.get("field").asText())
                .containsExactlyInAnyOrder("basis", "signature");

        List<JsonNode> statuses = read(out.resolve("statuses.jsonl"));
        assertThat(colourOf(statuses, "dave")).isEqualTo("green");
        JsonNode override = statuses.stream()
                .filter(n -> n.get("personId").asText().equals("dave"))
                .findFirst()
                .orElseThrow()
                .get("conditions")
                .get(0);
        assertThat(override.get("reason").asText()).isEqualTo("override");

        Path again = replay(events, null, "appeal-again");
        assertThat(Files.readAllBytes(again.resolve("audit.jsonl")))
                .isEqualTo(Files.readAllBytes(out.resolve("audit.jsonl")));
    }

    /**
     * Gina lives in Tianhe (440106) under a Guangzhou-wide daily campaign and is tested on its first day only; Hank's
     * phone spends Monday in Futian (440304), listed high from noon.
     */
    private static final List<String> REFERENCE = List.of(
            "{\"feed\":\"police\",\"type\":\"identity\",\"eventId\":\"id-gina\",\"time\":\"2022-03-01T00:00:00+08:00\",\"personId\":\"gina\",\"msisdn\":\"13900139000\",\"areaCode\":\"440106\"}",
            "{\"feed\":\"reference\",\"type\":\"test_campaign\",\"eventId\":\"tc-1\",\"time\":\"2022-04-03T22:00:00+08:00\",\"areaCode\":\"440100\",\"from\":\"2022-04-04T00:00:00+08:00\",\"to\":\"2022-04-06T00:00:00+08:00\",\"intervalHours\":24}",
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-g1\",\"time\":\"2022-04-04T10:00:00+08:00\",\"personId\":\"gina\",\"method\":\"pcr\",\"result\":\"negative\",\"pooled\":true}",
            "{\"feed\":\"carrier\",\"type\":\"city_stay\",\"eventId\":\"stay-h1\",\"time\":\"2022-04-04T18:00:00+08:00\",\"msisdn\":\"+8613800138000\",\"areaCode\":\"440304\",\"from\":\"2022-04-04T09:00:00+08:00\",\"to\":\"2022-04-04T18:00:00+08:00\"}",
            "{\"feed\":\"police\",\"type\":\"identity\",\"eventId\":\"id-hank\",\"time\":\"2022-03-01T00:00:00+08:00\",\"personId\":\"hank\",\"msisdn\":\"13800138000\",\"areaCode\":\"440300\"}",
            "{\"feed\":\"reference\",\"type\":\"risk_area\",\"eventId\":\"ra-1\",\"time\":\"2022-04-04T12:00:00+08:00\",\"areaCode\":\"440304\",\"level\":\"high\",\"from\":\"2022-04-04T12:00:00+08:00\"}",
            "{\"feed\":\"health\",\"type\":\"test_result\",\"eventId\":\"lab-x\",\"time\":\"2022-04-06T12:00:00+08:00\",\"personId\":\"zoe\",\"method\":\"pcr\",\"result\":\"negative\"}");

    @Test
    void aMissedCampaignIntervalTurnsYellowAndACarrierCityStayInAHighRiskAreaTurnsRed() throws Exception {
        Path out = replay(archive("reference.jsonl", REFERENCE), null, "reference");
        List<JsonNode> statuses = read(out.resolve("statuses.jsonl"));
        assertThat(colourOf(statuses, "gina")).isEqualTo("yellow");
        JsonNode missed = statuses.stream()
                .filter(n -> n.get("personId").asText().equals("gina"))
                .findFirst()
                .orElseThrow()
                .get("conditions")
                .get(0);
        assertThat(missed.get("reason").asText()).isEqualTo("missed_test");
        assertThat(missed.get("cause").get(0).asText()).startsWith("missed-tc-1@");
        assertThat(colourOf(statuses, "hank")).isEqualTo("red");
        JsonNode area = statuses.stream()
                .filter(n -> n.get("personId").asText().equals("hank"))
                .findFirst()
                .orElseThrow()
                .get("conditions")
                .get(0);
        assertThat(area.get("reason").asText()).isEqualTo("high_risk_area");
    }
}
