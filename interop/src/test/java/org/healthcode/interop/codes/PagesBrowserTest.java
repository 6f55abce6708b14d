package org.healthcode.interop.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.interop.StatusFixtures.MONDAY_9AM;
import static org.healthcode.interop.StatusFixtures.TUESDAY_9AM;
import static org.healthcode.interop.StatusFixtures.green;
import static org.healthcode.interop.StatusFixtures.redAfterPositiveTest;
import static org.healthcode.interop.codes.CodeServingFixture.withBrokenSignature;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The person's page and the checkpoint page in a real headless Chromium (Debian's chromium and chromium-driver,
 * found on PATH) against a serving node on a real broker. Screenshots go to {@code target/screenshots/}.
 *
 * <p>Without Chromium this test fails, on purpose: CI installs it ({@code ./healthcode test}), and a browser test
 * that skips itself quietly would let the pages break unnoticed.
 */
class PagesBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The shortest lifetime the options allow, so the page's own refresh happens within the test (after 22.5 s). */
    private static final Duration CODE_LIFETIME = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static CodeServingFixture serving;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Path chromedriver = onPath("chromedriver")
                .orElseThrow(
                        () -> new AssertionError(
                                "chromedriver is not on PATH: install the Debian packages chromium and chromium-driver "
                                        + "(apt-get install -y chromium chromium-driver; ./healthcode test does this when root)"));
        Path chromium = onPath("chromium", "chromium-browser", "google-chrome")
                .orElseThrow(
                        () -> new AssertionError(
                                "chromium is not on PATH: install the Debian packages chromium and chromium-driver "
                                        + "(apt-get install -y chromium chromium-driver; ./healthcode test does this when root)"));
        serving = CodeServingFixture.start(dir, CODE_LIFETIME);
        serving.publish(redAfterPositiveTest("rose", 1, TUESDAY_9AM), green("gus", 1, MONDAY_9AM));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // the flags Chromium needs on a closed-network CI machine run as root (see the machine notes)
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
                "--window-size=600,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (serving != null) {
            serving.close();
        }
    }

    @Test
    void thePersonsPageShowsTheirColourQrReasonsAndACountdown() throws Exception {
        browser.get(serving.base().resolve("/app/rose").toString());
        waitForReady();
        WebElement colour = browser.findElement(By.id("colour"));
        assertThat(colour.getText()).isEqualTo("Red");
        assertThat(colour.getAttribute("data-colour")).isEqualTo("red");
        assertThat(backgroundOf(colour)).isEqualTo("rgb(198, 40, 40)");
        assertQrLoaded();
        assertThat(browser.findElement(By.id("since")).getText()).startsWith("Red since ");
        assertThat(browser.findElement(By.id("countdown")).getText()).matches("Code valid for 0:[0-3]\\d");
        WebElement reason = browser.findElement(By.cssSelector("#reasons li[data-reason=positive_test]"));
        assertThat(reason.getText())
                .contains("One of your tests was positive.", "two negative tests at least 24 h apart");
        screenshot("person-red.png");

        browser.get(serving.base().resolve("/app/?id=gus").toString());
        waitForReady();
        assertThat(browser.findElement(By.id("colour")).getText()).isEqualTo("Green");
        assertThat(backgroundOf(browser.findElement(By.id("colour")))).isEqualTo("rgb(27, 127, 59)");
        assertQrLoaded();
        assertThat(browser.findElement(By.id("reasons")).getText()).contains("Nothing is recorded against you.");
        screenshot("person-green.png");

        browser.get(serving.base().resolve("/app/nobody").toString());
        new WebDriverWait(browser, WAIT).until(d -> "error".equals(bodyState()));
        assertThat(browser.findElement(By.id("error")).getText()).contains("No health code is known for you");
    }

    // ---- the person's declarations ------------------------------------------------------------------------------

    @Test
    void thePersonsPageSendsAHealthDeclarationAndShowsTheDeclaredFeverOnceTheStatusHasIt() throws Exception {
        serving.publish(green("dora", 1, MONDAY_9AM));
        browser.get(serving.base().resolve("/app/dora").toString());
        waitForReady();
        browser.findElement(By.cssSelector("#health-form input[value=fever]")).click();
        browser.findElement(By.cssSelector("#health-form input[value=cough]")).click();
        browser.findElement(By.id("health-temperature")).sendKeys("38.4");
        browser.findElement(By.id("health-submit")).click();
        WebElement result = waitForOutcome("health-result");
        assertThat(result.getAttribute("data-outcome")).isEqualTo("accepted");
        assertThat(result.getText()).isEqualTo("Health declaration received: fever, cough, 38.4 °C.");
        String declarationId = browser.findElement(By.id("health-form")).getAttribute("data-declaration-id");
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("declaration");
            assertThat(a.subject()).isEqualTo("dora");
            assertThat(a.result()).isEqualTo("accepted");
            assertThat(a.detail()).contains("health " + declarationId);
        });
        screenshot("person-health-declared.png");

        // the job's answer is a status: the page shows the declared fever as the person's own word
        serving.publish(
                org.healthcode.interop.StatusFixtures.yellowDeclaredFever("dora", 2, TUESDAY_9AM, declarationId));
        browser.navigate().refresh();
        waitForReady();
        assertThat(browser.findElement(By.id("colour")).getText()).isEqualTo("Yellow");
        WebElement reason = browser.findElement(By.cssSelector("#reasons li[data-reason=declared_fever]"));
        assertThat(reason.getAttribute("data-declared")).isEqualTo("true");
        assertThat(reason.getText())
                .startsWith("You declared a fever. (from your own declaration)")
                .contains("a negative test");
        screenshot("person-declared-fever.png");
    }

    @Test
    void thePersonsPageSendsAnItineraryAndShowsWhyAnImpossibleOneIsRefused() throws Exception {
        serving.publish(green("ivan", 1, MONDAY_9AM));
        browser.get(serving.base().resolve("/app/ivan").toString());
        waitForReady();
        // datetime-local fields hold the phone's local time; these are a day ago wherever the browser thinks it is
        java.time.LocalDateTime dayAgo = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC)
                .minusHours(40)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        browser.findElement(By.id("itinerary-area")).sendKeys("440111");
        setValue("itinerary-from", dayAgo.toString());
        setValue("itinerary-to", dayAgo.plusHours(8).toString());
        browser.findElement(By.id("itinerary-submit")).click();
        WebElement result = waitForOutcome("itinerary-result");
        assertThat(result.getAttribute("data-outcome")).isEqualTo("accepted");
        assertThat(result.getText()).isEqualTo("Itinerary received: area 440111.");
        assertThat(serving.audits)
                .anySatisfy(a -> assertThat(a.subject() + " " + a.result() + " " + a.detail())
                        .startsWith("ivan accepted itinerary "));
        screenshot("person-itinerary-declared.png");

        // left before arriving: refused, and the page says which field and why
        setValue("itinerary-to", dayAgo.minusHours(8).toString());
        browser.findElement(By.id("itinerary-submit")).click();
        new WebDriverWait(browser, WAIT)
                .until(d -> "refused"
                        .equals(d.findElement(By.id("itinerary-result")).getAttribute("data-outcome")));
        assertThat(browser.findElement(By.id("itinerary-result")).getText())
                .isEqualTo("Not accepted: stops[0]: invalid 'to': is before 'from'");
        screenshot("person-itinerary-refused.png");
    }

    private static WebElement waitForOutcome(String id) {
        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id(id)).getAttribute("data-outcome") != null);
        return browser.findElement(By.id(id));
    }

    /** Sets an input's value as a date picker would, and tells the page it changed. */
    private static void setValue(String id, String value) {
        ((JavascriptExecutor) browser)
                .executeScript(
                        "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                                + " e.dispatchEvent(new Event('input', { bubbles: true }));",
                        id,
                        value);
    }

    @Test
    void thePersonsPageFetchesANewCodeBeforeTheShownOneExpires() throws Exception {
        browser.get(serving.base().resolve("/app/gus").toString());
        waitForReady();
        String shown = shownCode();
        Instant shownExpires = Instant.parse(JSON.readTree(serving.postAsCheckpoint("/v1/verify", "text/plain", shown)
                        .body())
                .path("payload")
                .path("exp")
                .asText());

        new WebDriverWait(browser, CODE_LIFETIME.plusSeconds(10)).until(d -> !shown.equals(shownCode()));
        Instant replacedAt = Instant.now();
        assertThat(replacedAt).isBefore(shownExpires);
        String fresh = shownCode();
        assertThat(JSON.readTree(serving.postAsCheckpoint("/v1/verify", "text/plain", fresh)
                                .body())
                        .path("result")
                        .asText())
                .isEqualTo("valid");
        assertThat(browser.findElement(By.id("countdown")).getText()).matches("Code valid for 0:[1-3]\\d");
        assertQrLoaded();
        screenshot("person-green-refreshed.png");
    }

    @Test
    void theCheckpointPageShowsALargeColouredVerdictForValidTamperedAndPhotographedCodes() throws Exception {
        String code = JSON.readTree(
                        serving.post("/v1/codes/gus", "text/plain", "").body())
                .path("code")
                .asText();
        browser.get(serving.base().resolve("/checkpoint").toString());
        WebElement key = browser.findElement(By.id("apikey"));
        key.sendKeys(serving.checkpointKey);
        browser.findElement(By.id("record")).click();

        paste(code);
        WebElement verdict = waitForVerdict("valid");
        // the ticked box recorded a scan, under the checkpoint the key belongs to
        assertThat(serving.audits).anySatisfy(a -> {
            assertThat(a.subject()).isEqualTo("gus");
            assertThat(a.caller()).isEqualTo("gate-7");
            assertThat(a.detail()).contains("checkpoint=gate-7", "scan_event=checkpoint-gate-7-");
        });
        assertThat(verdict.getAttribute("data-colour")).isEqualTo("green");
        assertThat(browser.findElement(By.id("verdict-result")).getText()).isEqualTo("valid");
        assertThat(browser.findElement(By.id("verdict-colour")).getText()).isEqualTo("Green");
        assertThat(backgroundOf(verdict)).isEqualTo("rgb(27, 127, 59)");
        assertThat(fontSizePx(browser.findElement(By.id("verdict-result")))).isGreaterThanOrEqualTo(40);
        screenshot("checkpoint-valid.png");

        paste(withBrokenSignature(code));
        waitForVerdict("bad_signature");
        assertThat(browser.findElement(By.id("verdict-reason")).getText()).contains("altered or forged");
        assertThat(browser.findElement(By.id("verdict-colour")).getText()).isEmpty();
        screenshot("checkpoint-bad-signature.png");

        // a photo of rose's QR: decoded by the browser's BarcodeDetector if it has one, else by the server
        File photo = dir.resolve("rose-qr.png").toFile();
        Files.write(photo.toPath(), serving.getBytes("/v1/codes/rose/qr.png").body());
        browser.findElement(By.id("photo")).sendKeys(photo.getAbsolutePath());
        WebElement fromPhoto = waitForVerdict("valid");
        assertThat(fromPhoto.getAttribute("data-colour")).isEqualTo("red");
        assertThat(backgroundOf(fromPhoto)).isEqualTo("rgb(198, 40, 40)");
        screenshot("checkpoint-photo-red.png");
    }

    // ---- correction requests on the person's page ----------------------------------------------------------------

    @Test
    void thePersonDisputesTheirColourOnTheirPageAndFollowsTheRequestUntilItIsDecided() throws Exception {
        browser.get(serving.base().resolve("/app/rose").toString());
        waitForReady();
        waitForCorrections();
        browser.findElement(By.id("correction-reason")).sendKeys("I was never tested that day");
        browser.findElement(By.id("correction-evidence")).sendKeys("my test report 2022-0401-77 is negative");
        browser.findElement(By.id("correction-submit")).click();

        WebElement message = new WebDriverWait(browser, WAIT)
                .until(d -> d.findElement(By.id("correction-message")).getText().startsWith("Sent.")
                        ? d.findElement(By.id("correction-message"))
                        : null);
        String id = message.getText().replaceAll(".*request number is (cor-[0-9a-f-]+)\\..*", "$1");
        assertThat(id).startsWith("cor-");
        WebElement shown = waitForRequest(id, "received");
        assertThat(shown.getText()).contains("Received: waiting for an operator.", "I was never tested that day");
        assertThat(browser.findElement(By.id("correction-reason")).getAttribute("value"))
                .isEmpty();
        scrollTo(shown);
        screenshot("person-correction-received.png");

        // an operator takes it and upholds the colour; the page shows the decision and the operator's words
        assertThat(serving.postWithKey(serving.operatorKey, "/v1/corrections/" + id + "/take", "application/json", "")
                        .statusCode())
                .isEqualTo(200);
        assertThat(serving.postWithKey(
                                serving.operatorKey,
                                "/v1/corrections/" + id + "/uphold",
                                "application/json",
                                "{\"note\":\"the laboratory confirmed the positive result\"}")
                        .statusCode())
                .isEqualTo(200);
        browser.navigate().refresh();
        waitForReady();
        WebElement decided = waitForRequest(id, "upheld");
        assertThat(decided.getText())
                .contains("Decided: your colour stands.", "the laboratory confirmed the positive result");
        scrollTo(decided);
        screenshot("person-correction-upheld.png");
    }

    @Test
    void thePersonsPageWithItsFormsFitsAPhoneScreenWithoutSidewaysScrolling() throws Exception {
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
        try {
            serving.post(
                    "/v1/corrections/me/gus:file",
                    "application/json",
                    "{\"reason\":\"" + "a long reason ".repeat(40) + "\",\"evidence\":\"" + "x".repeat(300) + "\"}");
            browser.get(serving.base().resolve("/app/gus").toString());
            waitForReady();
            waitForCorrections();
            assertQrLoaded();
            JavascriptExecutor js = (JavascriptExecutor) browser;
            assertThat(((Number) js.executeScript("return screen.width")).intValue())
                    .as("a phone's screen")
                    .isEqualTo(390);
            screenshot("person-phone-390x844.png");
            scrollTo(browser.findElement(By.cssSelector("#correction-requests li")));
            screenshot("person-phone-390x844-requests.png");
            long scrollWidth = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
            assertThat(scrollWidth).as("the page is wider than the phone").isLessThanOrEqualTo(390);
            // every form control fits too, not only the document
            assertThat(((Number) js.executeScript("return Math.max(...Array.from(document.querySelectorAll("
                                    + "'main *')).map(e => e.getBoundingClientRect().right))"))
                            .doubleValue())
                    .isLessThanOrEqualTo(390);
        } finally {
            chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        }
    }

    private static void scrollTo(WebElement e) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
    }

    private static void waitForCorrections() {
        new WebDriverWait(browser, WAIT)
                .until(d -> "loaded"
                        .equals(((JavascriptExecutor) d)
                                .executeScript("return document.body.dataset.corrections || ''")));
    }

    private static WebElement waitForRequest(String id, String state) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            List<WebElement> found = d.findElements(
                    By.cssSelector("#correction-requests li[data-id='" + id + "'][data-state='" + state + "']"));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    // ---- the person's page: fellow-traveller self-check ----------------------------------------------------------

    @Test
    void thePersonsPageSelfCheckSaysWhetherACaseSatCloseAndNamesABadField() throws Exception {
        long depart = org.healthcode.contracts.wire.IsoTimes.parse("2022-04-01T08:00:00+08:00");
        org.healthcode.contracts.vehicles.VehicleCases train = new org.healthcode.contracts.vehicles.VehicleCases(
                "G6301@2022-04-01",
                3,
                List.of(new org.healthcode.contracts.vehicles.VehicleCases.CaseTrip(
                        "train", true, "5", null, depart, depart + 2_100_000L, depart + 86_400_000L)));
        org.healthcode.broker.Topics.ensure(
                serving.broker.bootstrapServers(), List.of(org.healthcode.broker.Topics.compacted("vehicle-cases", 1)));
        java.util.Properties p = new java.util.Properties();
        p.setProperty("bootstrap.servers", serving.broker.bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            "vehicle-cases",
                            train.vehicleId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            train.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get();
        }
        new WebDriverWait(browser, WAIT)
                .until(d -> serving.node.vehicleCases().caughtUp()
                        && serving.node.vehicleCases().get("G6301@2022-04-01") != null);
        org.openqa.selenium.Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.get(serving.base().resolve("/app/gus").toString());
            waitForReady();
            fillSelfCheck("G6301", "2022-04-01", "5");
            WebElement answer = waitForSelfCheck("case-close");
            assertThat(answer.getText()).contains("A case travelled on G6301@2022-04-01, close to you.");
            assertThat(answer.getText()).doesNotContain("gus", "2022-04-02");
            ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true);", answer);
            screenshot("person-self-check-phone.png");
            // on a phone-sized viewport the form fits the width
            assertThat(browser.findElement(By.id("self-check")).getSize().getWidth())
                    .isLessThanOrEqualTo(390);

            fillSelfCheck("G6301", "2022-04-01", "8");
            assertThat(waitForSelfCheck("case-on-board").getText())
                    .contains("A case travelled on G6301@2022-04-01.", "not close to you");

            fillSelfCheck("D 7", "2022-04-01", "");
            assertThat(waitForSelfCheck("error").getText())
                    .contains("Please check the flight or train number and date.");

            fillSelfCheck("K1", "2022-04-01", "");
            assertThat(waitForSelfCheck("no-case").getText()).contains("No known case on K1@2022-04-01.");
        } finally {
            browser.manage().window().setSize(before);
        }
    }

    // ---- the person's page: risk areas ------------------------------------------------------------------------------

    @Test
    void thePersonsPageListsTheRiskAreasNowAndTheirStaysInOne() throws Exception {
        org.healthcode.broker.Topics.ensure(
                serving.broker.bootstrapServers(), List.of(org.healthcode.broker.Topics.compacted("risk-areas", 1)));
        long listed = Instant.parse("2022-04-01T00:00:00Z").toEpochMilli();
        var high = new org.healthcode.contracts.areas.RiskAreaListing("ra-1", "440106", "high", listed, null);
        var ended = new org.healthcode.contracts.areas.RiskAreaListing(
                "ra-2", "440305", "medium", listed, listed + 86_400_000L);
        java.util.Properties p = new java.util.Properties();
        p.setProperty("bootstrap.servers", serving.broker.bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                p,
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (var l : List.of(high, ended)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                "risk-areas",
                                l.listingId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                l.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .get();
            }
        }
        serving.publish(org.healthcode.ingest.proto.StatusRecord.newBuilder()
                .setPersonId("hana")
                .setColour("red")
                .setSinceMs(TUESDAY_9AM.toEpochMilli())
                .addConditions(org.healthcode.ingest.proto.ConditionRecord.newBuilder()
                        .setReason("high_risk_area")
                        .addCause("area-hotel-77/ra-1")
                        .setStartMs(TUESDAY_9AM.toEpochMilli())
                        .setColour("red")
                        .setEndsWith("a negative test"))
                .setRuleVersion("2022.04")
                .setSeq(1)
                .setEffectiveMs(TUESDAY_9AM.toEpochMilli())
                .build());
        new WebDriverWait(browser, WAIT)
                .until(d -> serving.node.riskAreaListings().get("ra-2") != null);

        // hana also declared she passed through the high-risk district: shown, and said not to count now
        Instant today = Instant.now();
        HttpResponse<String> declared = serving.post(
                "/v1/declarations/hana/itinerary",
                "application/json",
                "{\"declarationId\":\"trip-3\",\"declaredAt\":\"" + today + "\",\"stops\":[{\"areaCode\":\"440106\","
                        + "\"from\":\"" + today.minus(Duration.ofDays(3)) + "\",\"to\":\""
                        + today.minus(Duration.ofDays(2)) + "\"}]}");
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(202);
        new WebDriverWait(browser, WAIT)
                .until(d -> !serving.node
                        .declaredStays()
                        .of("hana", today.toEpochMilli())
                        .isEmpty());

        browser.get(serving.base().resolve("/app/hana").toString());
        waitForReady();
        new WebDriverWait(browser, WAIT)
                .until(d -> "ready".equals(d.findElement(By.id("risk-areas")).getAttribute("data-state")));
        WebElement areas = browser.findElement(By.id("risk-areas-list"));
        // the medium listing ended long ago: only the high one is in force now
        assertThat(areas.findElements(By.tagName("li"))).hasSize(1);
        assertThat(areas.getText()).contains("High risk: area 440106", "until further notice");
        WebElement stays = browser.findElement(By.id("your-risk-stays"));
        assertThat(stays.getText())
                .contains("Your stay hotel-77 was in area 440106 while it was listed high risk", "still listed")
                .contains("The stay you declared in area 440106 (decl/itinerary/hana/trip-3/0) was there while it was"
                        + " listed high risk")
                .contains("It does not count in your colour now.");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true);", areas);
        screenshot("person-risk-areas.png");

        browser.get(serving.base().resolve("/app/gus").toString());
        waitForReady();
        new WebDriverWait(browser, WAIT)
                .until(d -> "ready".equals(d.findElement(By.id("risk-areas")).getAttribute("data-state")));
        assertThat(browser.findElement(By.id("your-risk-stays")).getText())
                .isEqualTo("None of your recent stays overlaps a risk area.");
    }

    private static void fillSelfCheck(String number, String date, String carriage) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("document.getElementById('self-check-answer').dataset.result = '';");
        WebElement n = browser.findElement(By.id("sc-number"));
        n.clear();
        n.sendKeys(number);
        // a date input's typed form depends on the browser's locale: set the value itself
        js.executeScript("document.getElementById('sc-date').value = arguments[0];", date);
        WebElement c = browser.findElement(By.id("sc-carriage"));
        c.clear();
        c.sendKeys(carriage);
        browser.findElement(By.id("sc-submit")).click();
    }

    private static WebElement waitForSelfCheck(String result) throws IOException {
        try {
            return new WebDriverWait(browser, WAIT).until(d -> {
                WebElement a = d.findElement(By.id("self-check-answer"));
                return result.equals(a.getAttribute("data-result")) && a.isDisplayed() ? a : null;
            });
        } catch (TimeoutException e) {
            screenshot("failed-self-check-" + result + ".png");
            throw new AssertionError(
                    "no '" + result + "' self-check answer; the box is "
                            + browser.findElement(By.id("self-check-answer")).getAttribute("outerHTML"),
                    e);
        }
    }

    private static void paste(String code) {
        WebElement box = browser.findElement(By.id("code"));
        box.clear();
        // set the value directly: typing 230 characters key by key is slow and tests nothing of ours
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", box, code);
        browser.findElement(By.id("verify")).click();
    }

    private static WebElement waitForVerdict(String result) throws IOException {
        try {
            return new WebDriverWait(browser, WAIT).until(d -> {
                WebElement v = d.findElement(By.id("verdict"));
                return result.equals(v.getAttribute("data-result")) && v.isDisplayed() ? v : null;
            });
        } catch (TimeoutException e) {
            screenshot("failed-waiting-for-" + result + ".png");
            throw new AssertionError(
                    "no '" + result + "' verdict shown; the verdict box is "
                            + browser.findElement(By.id("verdict")).getAttribute("outerHTML"),
                    e);
        }
    }

    private static void waitForReady() {
        new WebDriverWait(browser, WAIT).until(d -> "ready".equals(bodyState()));
    }

    private static String shownCode() {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.body.dataset.code || ''");
    }

    private static String bodyState() {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.body.dataset.state || ''");
    }

    private static void assertQrLoaded() {
        new WebDriverWait(browser, WAIT).until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("const i = document.getElementById('qr'); return i.complete && i.naturalWidth > 0;"));
        assertThat(browser.findElement(By.id("qr")).getSize().getWidth()).isGreaterThan(150);
    }

    private static String backgroundOf(WebElement e) {
        return e.getCssValue("background-color").replace("rgba", "rgb").replace(", 1)", ")");
    }

    private static double fontSizePx(WebElement e) {
        return Double.parseDouble(e.getCssValue("font-size").replace("px", ""));
    }

    private static void screenshot(String name) throws IOException {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name), png);
    }

    /** The first of {@code names} found as an executable file in a PATH directory. */
    static Optional<Path> onPath(String... names) {
        String path = System.getenv("PATH");
        List<Path> dirs = new ArrayList<>();
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (!d.isEmpty()) {
                dirs.add(Path.of(d));
            }
        }
        for (String name : names) {
            for (Path d : dirs) {
                Path candidate = d.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
