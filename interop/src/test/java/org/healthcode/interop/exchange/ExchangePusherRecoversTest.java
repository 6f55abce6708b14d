package org.healthcode.interop.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.healthcode.broker.KafkaBroker;
import org.healthcode.broker.Topics;
import org.healthcode.contracts.exchange.RiskPersonNotice;
import org.healthcode.interop.audit.AuditSink;
import org.healthcode.interop.metrics.ServingMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchange pusher against a real broker and a real HTTP receiver, each going away and coming back: it reports
 * itself down while the broker is away, and afterwards pushes what was queued meanwhile without a restart; a notice
 * the other region could not take while it was away is pushed once it is back; closed while a push waits, it ends cleanly.
 */
class ExchangePusherRecoversTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Instant SINCE = Instant.parse("2022-03-07T01:00:00Z");

    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void afterABrokerOutageAndAnOutageOfTheOtherRegionEveryNoticeIsPushed() throws Exception {
        int brokerPort = freePort();
        int receiverPort = freePort();
        KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"), brokerPort);
        String bootstrap = broker.bootstrapServers();
        Topics.ensure(bootstrap, List.of(Topics.plain("exchange-out", 1)));
        receiver = startReceiver(receiverPort);
        ServingMetrics metrics = new ServingMetrics();
        try (ExchangePusher pusher = new ExchangePusher(
                bootstrap,
                "exchange-out",
                "A",
                Map.of("B", URI.create("http://127.0.0.1:" + receiverPort)),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                AuditSink.DISCARD,
                metrics,
                Clock.systemUTC())) {
            pusher.start();
            pusher.enqueue(notice("nat-one"));
            await().atMost(WAIT).until(() -> pushed("nat-one"));
            assertThat(metrics.follower("exchange").up()).isTrue();

            // the broker goes away: the pusher says so, and keeps trying
            broker.close();
            await().atMost(WAIT).until(() -> !metrics.follower("exchange").up());

            // the broker is back: a notice queued now is pushed, and the pusher is up again
            broker = KafkaBroker.start(dir.resolve("broker"), brokerPort);
            pusher.enqueue(notice("nat-two"));
            await().atMost(WAIT).until(() -> pushed("nat-two"));
            await().atMost(WAIT).until(() -> metrics.follower("exchange").up());

            // the other region goes away: the notice waits, retried, and is pushed once the region is back
            receiver.stop(0);
            pusher.enqueue(notice("nat-three"));
            Thread.sleep(1_500); // at least one refused attempt
            assertThat(pushed("nat-three")).isFalse();
            receiver = startReceiver(receiverPort);
            await().atMost(WAIT).until(() -> pushed("nat-three"));

            // closed while a push waits for an answer, it ends cleanly: its consumer closes, nothing escapes its thread
            receiver.stop(0);
            CountDownLatch asked = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), receiverPort), 0);
            receiver.createContext("/v1/exchange/risk-persons", exchange -> {
                asked.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            receiver.start();
            pusher.enqueue(notice("nat-four"));
            assertThat(asked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            List<Throwable> escaped = new CopyOnWriteArrayList<>();
            Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
            Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
            try {
                pusher.close();
            } finally {
                Thread.setDefaultUncaughtExceptionHandler(before);
                never.countDown();
            }
            assertThat(escaped).isEmpty();
        } finally {
            broker.close();
        }
    }

    private boolean pushed(String nationalId) {
        return received.stream().anyMatch(r -> r.contains("\"" + nationalId + "\""));
    }

    private static RiskPersonNotice notice(String nationalId) {
        return RiskPersonNotice.of("A", "B", nationalId, "red", "infection", SINCE, SINCE.plus(Duration.ofDays(14)));
    }

    /** The other region's exchange endpoint: takes every notice with 202 and remembers its body. */
    private HttpServer startReceiver(int port) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        s.createContext("/v1/exchange/risk-persons", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        s.start();
        return s;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
