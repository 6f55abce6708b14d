package org.healthcode.interop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.interop.audit.Slf4jAuditSink;
import org.healthcode.interop.config.ServeConfig;

/**
 * Runs the serving process: the status view fed from Kafka and the lookup API. Prints
 * {@code SERVING READY http://127.0.0.1:<port>} on standard output once HTTP answers; SIGTERM or Ctrl-C stop it
 * cleanly (consumer closed, view flushed). {@code --help} lists every option ({@link ServeConfig#usage}).
 */
public final class ServeMain {
    private ServeMain() {}

    public static void main(String[] args) throws Exception {
        ServeConfig.Parsed parsed = ServeConfig.parse(args);
        if (parsed.helpRequested()) {
            System.out.println(ServeConfig.usage());
            return;
        }
        KafkaClientSettings kafka;
        try {
            kafka = KafkaClientSettings.fromArgs(args);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("configuration: " + KafkaClientSettings.OPTION + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        ServeConfig config = parsed.config();
        List<String> problems = new ArrayList<>(parsed.problems());
        problems.addAll(config.validate());
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("configuration: " + p));
            System.err.println(ServeConfig.usage());
            System.exit(2);
        }
        if (config.interop().hubMode()) {
            HubNode hub = HubNode.start(config, kafka, new Slf4jAuditSink());
            Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
            System.out.println(
                    "HUB READY " + hub.baseUri() + " public key " + hub.hub().publicKeyFile());
            System.out.flush();
            new CountDownLatch(1).await();
            return;
        }
        ServingNode node = ServingNode.start(config, config.codes(), kafka, new Slf4jAuditSink());
        if (config.interop().devOpenLookups()) {
            System.out.println("WARNING: --dev-open-lookups: requests without credentials read full statuses "
                    + "(development only)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            stopped.countDown();
                        },
                        "serving-shutdown"));
        System.out.println("SERVING READY " + node.baseUri());
        System.out.flush();
        stopped.await();
    }
}
