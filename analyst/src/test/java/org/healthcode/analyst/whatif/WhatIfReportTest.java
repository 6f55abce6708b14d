package org.healthcode.analyst.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.ingest.sinks.JsonLinesSink;
import org.healthcode.ingest.testing.IngestFixtures;
import org.healthcode.risk.rules.RuleSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The whole what-if on a synthetic city with a planted outbreak and an approved override, under the default rules
 * (A) and the same rules with a 20-minute companion overlap (B): the planted companion differs; the tables agree
 * with each other in CSV and Parquet; the report opens in a real headless Chromium without console errors and shows
 * the CSV's numbers (screenshot: {@code target/screenshots/whatif-report.png}); a second run gives the same files.
 */
class WhatIfReportTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final List<String> APPEAL = List.of(
            IngestFixtures.signed(
                    "{\"feed\":\"overrides\",\"type\":\"override_request\",\"eventId\":\"req-1\",\"time\":\"2022-04-01T10:00:00+08:00\",\"personId\":\"dave\",\"requestId\":\"appeal-1\",\"colour\":\"red\",\"basis\":\"tracing team note 2022-7\",\"expiry\":\"2022-04-02T10:00:00+08:00\",\"requester\":\"op-chen\"}"),
            IngestFixtures.signed(
                    "{\"feed\":\"overrides\",\"type\":\"override_approval\",\"eventId\":\"appr-1\",\"time\":\"2022-04-01T11:00:00+08:00\",\"requestId\":\"appeal-1\",\"approver\":\"op-li\"}"));

    @TempDir
    static Path dir;

    static Path out;
    static Map<String, byte[]> firstRun;
    static WhatIf.Result result;
    static WhatIfConfig cfg;

    @BeforeAll
    static void runTwice() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SyntheticCity(new CityConfig(600, 2, 11, CityConfig.DEFAULT_START, 0, 0.002))
                .run(new JsonLinesSink(bytes, false));
        List<String> lines =
                new ArrayList<>(List.of(bytes.toString(StandardCharsets.UTF_8).split("\n")));
        lines.addAll(APPEAL);
        Path archive = dir.resolve("city.jsonl");
        Files.write(archive, lines, StandardCharsets.UTF_8);
        Path a = dir.resolve("default.json");
        Files.write(a, RuleSet.defaultJson());
        Path b = dir.resolve("companion-20.json");
        Files.writeString(
                b,
                new String(RuleSet.defaultJson(), StandardCharsets.UTF_8)
                        .replace("\"companionMinOverlapMinutes\": 10", "\"companionMinOverlapMinutes\": 20")
                        .replace("\"version\": \"2022.1-default\"", "\"version\": \"2022.1-companion-20\""));
        out = dir.resolve("out");
        cfg = new WhatIfConfig(
                archive,
                a,
                b,
                out,
                null,
                null,
                ZoneOffset.ofHours(8),
                6,
                2,
                "./healthcode whatif --events city.jsonl --rules default.json --rules companion-20.json --out out",
                null);
        StandardEventDecoder decoder = new StandardEventDecoder(
                new Pseudonymiser(RegionSecret.ofBytes(new byte[32])), null, IngestFixtures.OVERRIDE_VERIFIER);
        WhatIf.run(cfg, StreamExecutionEnvironment::getExecutionEnvironment, decoder);
        firstRun = files(out);
        result = WhatIf.run(cfg, StreamExecutionEnvironment::getExecutionEnvironment, decoder);
    }

    @Test
    void aSecondRunGivesTheSameFiles() throws Exception {
        Map<String, byte[]> second = files(out);
        assertThat(second.keySet())
                .isEqualTo(firstRun.keySet())
                .contains(
                        "report.html",
                        "persons.jsonl",
                        "colours_by_day.csv",
                        "colours_by_day.parquet",
                        "differences.parquet",
                        "replay-a/changelog.jsonl");
        for (String f : second.keySet()) {
            assertThat(second.get(f)).as(f).isEqualTo(firstRun.get(f));
        }
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report)
                .contains(
                        result.archive().sha256(),
                        result.a().sha256(),
                        result.b().sha256(),
                        "2022.1-companion-20",
                        cfg.command(),
                        "healthcode " + WhatIf.engineVersion());
        assertThat(WhatIf.engineVersion()).isNotEqualTo("unknown");
    }

    @Test
    void thePlantedCompanionDiffersAndParquetHoldsWhatTheCsvHolds() throws Exception {
        assertThat(result.comparison().persons()).as("persons who differ").isNotEmpty();
        assertThat(result.comparison().differences())
                .allSatisfy(d -> assertThat(d.reasonsA().contains("companion")
                                || d.reasonsB().contains("companion"))
                        .isTrue());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            for (String table : List.of("colours_by_day", "reasons_by_day", "new_reds_by_day")) {
                List<String> csv = Files.readAllLines(out.resolve(table + ".csv"));
                long sumA = csv.stream()
                        .skip(1)
                        .mapToLong(l -> Long.parseLong(l.split(",")[3]))
                        .sum();
                ResultSet r = s.executeQuery("SELECT count(*), sum(persons_a), min(district) FROM '"
                        + out.resolve(table + ".parquet") + "'");
                r.next();
                assertThat(r.getLong(1)).as(table + " rows").isEqualTo(csv.size() - 1);
                assertThat(r.getLong(2)).as(table + " persons_a").isEqualTo(sumA);
                assertThat(r.getString(3)).as("districts stay text").startsWith("44");
            }
        }
    }

    @Test
    void theReportOpensWithoutConsoleErrorsAndShowsTheCsvNumbers() throws Exception {
        WebDriver browser = chromium();
        try {
            browser.get(out.resolve("report.html").toUri().toString());
            Path shots = Files.createDirectories(Path.of("target", "screenshots"));
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(
                    shot.toPath(),
                    shots.resolve("whatif-report.png"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertThat(severe).as("console errors").isEmpty();

            Map<String, String> page = new HashMap<>();
            for (WebElement e : browser.findElements(By.cssSelector("[data-key]"))) {
                page.put(e.getAttribute("data-key"), e.getText().trim());
            }
            Map<String, Long> expected = new TreeMap<>();
            for (String l :
                    Files.readAllLines(out.resolve("colours_by_day.csv")).subList(1, 1 + rows("colours_by_day"))) {
                String[] f = l.split(",");
                expected.merge("daily:" + f[0] + ":" + f[2] + ":a", Long.parseLong(f[3]), Long::sum);
                expected.merge("daily:" + f[0] + ":" + f[2] + ":b", Long.parseLong(f[4]), Long::sum);
                if (!f[2].equals("green")) {
                    expected.merge("district:" + f[1] + ":" + f[2] + ":a", Long.parseLong(f[3]), Long::sum);
                    expected.merge("district:" + f[1] + ":" + f[2] + ":b", Long.parseLong(f[4]), Long::sum);
                    expected.merge("person-days:" + f[2] + ":a", Long.parseLong(f[3]), Long::sum);
                    expected.merge("person-days:" + f[2] + ":b", Long.parseLong(f[4]), Long::sum);
                }
            }
            for (String l :
                    Files.readAllLines(out.resolve("new_reds_by_day.csv")).subList(1, 1 + rows("new_reds_by_day"))) {
                String[] f = l.split(",");
                expected.merge("new-reds:" + f[2] + ":a", Long.parseLong(f[3]), Long::sum);
                expected.merge("new-reds:" + f[2] + ":b", Long.parseLong(f[4]), Long::sum);
            }
            for (String l : Files.readAllLines(out.resolve("rejections.csv")).subList(1, 1 + rows("rejections"))) {
                String[] f = l.split(",");
                expected.put("rejections:" + f[0], Long.parseLong(f[1]));
            }
            expected.put("persons-differing", (long)
                    Files.readAllLines(out.resolve("persons.jsonl")).size());
            assertThat(expected).containsKey("rejections:malformed");
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                assertThat(page.get(e.getKey())).as(e.getKey()).isEqualTo(String.valueOf(e.getValue()));
            }
            List<WebElement> overrides = browser.findElements(By.cssSelector("#overrides tbody tr"));
            assertThat(overrides)
                    .singleElement()
                    .satisfies(r ->
                            assertThat(r.getText()).contains("dave", "tracing team note 2022-7", "op-chen", "op-li"));
            assertThat(browser.findElements(By.cssSelector("#chart-colours polyline")))
                    .hasSize(4);
            assertThat(browser.findElements(By.cssSelector("#districts svg.spark")))
                    .isNotEmpty();
        } finally {
            browser.quit();
        }
    }

    private static int rows(String table) throws Exception {
        return Files.readAllLines(out.resolve(table + ".csv")).size() - 1;
    }

    private static Map<String, byte[]> files(Path root) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static WebDriver chromium() throws Exception {
        Path chromedriver = onPath("chromedriver")
                .orElseThrow(
                        () -> new AssertionError(
                                "chromedriver is not on PATH: install the Debian packages chromium and chromium-driver "
                                        + "(apt-get install -y chromium chromium-driver; ./healthcode test does this when root)"));
        Path chromium = onPath("chromium", "chromium-browser", "google-chrome")
                .orElseThrow(() -> new AssertionError(
                        "chromium is not on PATH: install the Debian packages chromium and chromium-driver"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // no network at all: the report must need none
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--proxy-server=127.0.0.1:9",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
                "--window-size=1000,2600");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> onPath(String... names) {
        for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : names) {
                Path p = Path.of(dirName, n);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
