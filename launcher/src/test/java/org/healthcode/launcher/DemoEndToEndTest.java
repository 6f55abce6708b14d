package org.healthcode.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with real parts: an in-process KRaft broker, the risk job in its own JVM (MiniCluster, RocksDB,
 * exactly-once KafkaSink to {@code status}), the lookup service in its own JVM (RocksDB view, read_committed), the
 * synthetic city producing Protobuf events, and HTTP lookups.
 */
class DemoEndToEndTest {
    private static final Pattern CURL = Pattern.compile("curl -s (\\S+/v1/status/(\\S+))");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    @Timeout(300)
    void aNonGreenPersonOfTheSyntheticCityCanBeLookedUpAndTheDemoResumesAfterARestart() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newHttpClient();
        String url;
        String personId;
        JsonNode first;
        try (Demo demo = new Demo(settings(), out)) {
            demo.start();
            Matcher m = awaitLine(console, CURL, Duration.ofMinutes(3));
            url = m.group(1);
            personId = m.group(2);
            // the demo names a person from the committed statuses it has read; at 500 000x real time one transaction
            // can hold several statuses of that person, and the view may answer with an earlier one (an earlier
            // green) until it has read the rest: so wait for the colour the demo announced, not just for a 200
            first = awaitStatus(
                    http,
                    url,
                    Duration.ofSeconds(60),
                    s -> !s.get("colour").asText().equals("green"));
            assertThat(first.get("colour").asText()).isIn("yellow", "red");
            assertThat(first.get("conditions")).isNotEmpty();
            assertThat(first.get("conditions").get(0).get("reason").asText()).isNotBlank();
            assertThat(first.get("seq").asLong()).isPositive();

            String base = url.substring(0, url.indexOf("/v1/status/"));
            assertThat(get(http, base + "/v1/status/nobody-at-all").statusCode())
                    .isEqualTo(404);
            assertThat(get(http, base + "/v1/status/bad%20id!").statusCode()).isEqualTo(400);
            assertThat(get(http, base + "/health").statusCode()).isEqualTo(200);
            assertThat(get(http, base + "/metrics").body()).contains("lag");
        }

        // Second run on the same work directory: the view and its offsets were kept, so the person is known at once.
        console.reset();
        try (Demo demo = new Demo(settings(), out)) {
            demo.start();
            JsonNode again =
                    awaitStatus(http, demo.lookupUrl() + "/v1/status/" + personId, Duration.ofSeconds(60), s -> true);
            assertThat(again.get("seq").asLong())
                    .isGreaterThanOrEqualTo(first.get("seq").asLong());
            assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("--fresh: deleting");
        }
    }

    private DemoSettings settings() {
        return new DemoSettings(projectRoot(), work, false, null, 0, 0, 1000, 3, 7, 500_000, 0.01);
    }

    /** The directory holding the parent POM: the launcher module's parent. */
    static Path projectRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }

    /** The first match of {@code p} in the demo's console output so far, waiting up to {@code timeout}. */
    static Matcher awaitLine(ByteArrayOutputStream console, Pattern p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(console.toString(StandardCharsets.UTF_8));
            if (m.find()) {
                return m;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no line matching " + p + " within " + timeout + "; console:\n"
                + console.toString(StandardCharsets.UTF_8));
    }

    /** The first status the lookup answers (200) that {@code wanted} accepts, within {@code timeout}. */
    private static JsonNode awaitStatus(HttpClient http, String url, Duration timeout, Predicate<JsonNode> wanted)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get(http, url);
            if (last.statusCode() == 200 && wanted.test(JSON.readTree(last.body()))) {
                return JSON.readTree(last.body());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " never answered 200 with the status wanted; last: "
                + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
