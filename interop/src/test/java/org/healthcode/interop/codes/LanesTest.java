package org.healthcode.interop.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.healthcode.interop.StatusFixtures.MONDAY_9AM;
import static org.healthcode.interop.StatusFixtures.green;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pictures of {@code /v1/verify-image} and code issuing have lanes of their own: while every thread of a lane is busy
 * and its queue (or the bound on code issues and verifications in flight) is full, more are refused 503
 * {@code overloaded} at once, and status lookups are answered as if nothing happened, not shed.
 */
class LanesTest {
    /** The picture lane: 2 threads and 4 places in its queue ({@code VerifyHandler}). */
    private static final int PICTURES_ADMITTED = 2 + 4;

    private static final int FLOOD = 20;

    /** Code issues and verifications in flight at once ({@code CodeServingFixture}'s serving configuration). */
    private static final int CODES_ADMITTED = 64;

    /** The code lane's threads ({@code CodeHandler}). */
    private static final int CODE_THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void aFloodOfPicturesFillsItsOwnLaneAndLeavesLookupsAndCodesAnswered() throws Exception {
        try (CodeServingFixture serving = CodeServingFixture.start(dir)) {
            serving.publish(green("alice", 1, MONDAY_9AM));
            byte[] picture = serving.getBytes("/v1/codes/alice/qr.png").body();

            CountDownLatch release = new CountDownLatch(1);
            serving.holdVerifications = release;
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> pictures = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD; i++) {
                    pictures.add(http.sendAsync(
                            HttpRequest.newBuilder(serving.base().resolve("/v1/verify-image"))
                                    .timeout(CodeServingFixture.WAIT)
                                    .header("Content-Type", "image/png")
                                    .header("Authorization", "Bearer " + serving.checkpointKey)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(picture))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                // both picture threads are held; the queue fills; every picture beyond is refused at once
                await().atMost(CodeServingFixture.WAIT)
                        .until(() -> pictures.stream()
                                        .filter(f -> f.isDone() && f.join().statusCode() == 503)
                                        .count()
                                == FLOOD - PICTURES_ADMITTED);
                // the two pictures being read reach their verification and wait there, holding the lane's threads
                await().atMost(CodeServingFixture.WAIT).until(() -> serving.verificationsHeld.get() == 2);
                for (CompletableFuture<HttpResponse<String>> f : pictures) {
                    if (f.isDone()) {
                        assertThat(f.join().body()).startsWith("{\"error\":\"overloaded\"");
                        assertThat(f.join().headers().firstValue("retry-after")).hasValue("1");
                    }
                }

                // meanwhile the lookups and the codes are answered
                for (int i = 0; i < 10; i++) {
                    HttpResponse<String> lookup = serving.get("/v1/status/alice");
                    assertThat(lookup.statusCode()).isEqualTo(200);
                }
                assertThat(serving.get("/v1/codes/alice/qr.svg").statusCode()).isEqualTo(200);
            } finally {
                serving.holdVerifications = null;
                release.countDown();
            }
            long verdicts = 0;
            for (CompletableFuture<HttpResponse<String>> f : pictures) {
                if (f.get(CodeServingFixture.WAIT.toSeconds(), TimeUnit.SECONDS).statusCode() == 200) {
                    verdicts++;
                }
            }
            assertThat(verdicts).isEqualTo(PICTURES_ADMITTED);
        }
    }

    @Test
    void aFloodOfCodeIssuesFillsItsOwnLaneAndLeavesLookupsAnswered() throws Exception {
        try (CodeServingFixture serving = CodeServingFixture.start(dir)) {
            serving.publish(green("alice", 1, MONDAY_9AM));
            long overloadedBefore = serving.node.metrics().lookups("overloaded");
            CountDownLatch release = new CountDownLatch(1);
            serving.holdCodes = release;
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int flood = CODES_ADMITTED + 16;
            List<CompletableFuture<HttpResponse<String>>> codes = new ArrayList<>();
            try {
                for (int i = 0; i < flood; i++) {
                    codes.add(http.sendAsync(
                            HttpRequest.newBuilder(serving.base().resolve("/v1/codes/alice/qr.svg"))
                                    .timeout(CodeServingFixture.WAIT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                // the lane's threads are held at their audit records, the rest of the bound waits in its queue;
                // every code request beyond is refused at once
                await().atMost(CodeServingFixture.WAIT).until(() -> serving.codesHeld.get() == CODE_THREADS);
                await().atMost(CodeServingFixture.WAIT)
                        .until(() ->
                                codes.stream().filter(CompletableFuture::isDone).count() >= flood - CODES_ADMITTED);
                assertThat(codes.stream()
                                .filter(CompletableFuture::isDone)
                                .map(f -> f.join().statusCode() + " " + f.join().body())
                                .toList())
                        .hasSize(flood - CODES_ADMITTED)
                        .allMatch(answer -> answer.startsWith("503 {\"error\":\"overloaded\""));

                for (int i = 0; i < 10; i++) {
                    assertThat(serving.get("/v1/status/alice").statusCode()).isEqualTo(200);
                }
                assertThat(serving.node.metrics().lookups("overloaded")).isEqualTo(overloadedBefore);
            } finally {
                serving.holdCodes = null;
                release.countDown();
            }
            long issued = 0;
            for (CompletableFuture<HttpResponse<String>> f : codes) {
                if (f.get(CodeServingFixture.WAIT.toSeconds(), TimeUnit.SECONDS).statusCode() == 200) {
                    issued++;
                }
            }
            assertThat(issued).isEqualTo(CODES_ADMITTED);
        }
    }
}
