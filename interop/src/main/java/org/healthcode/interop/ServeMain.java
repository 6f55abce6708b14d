package org.healthcode.interop;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.healthcode.interop.audit.Slf4jAuditSink;
import org.healthcode.interop.config.CodesServeConfig;
import org.healthcode.interop.config.InteropConfig;
import org.healthcode.interop.config.ServeConfig;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/**
 * Runs the serving process: the status view fed from Kafka and the lookup API. Prints
 * {@code SERVING READY http://127.0.0.1:<port>} on standard output once HTTP answers; SIGTERM or Ctrl-C stop it
 * cleanly (consumer closed, view flushed).
 */
public final class ServeMain {
    private ServeMain() {}

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
            System.out.println(ServeConfig.USAGE);
            System.out.println("  " + KafkaClientSettings.OPTION + " FILE       Kafka client settings (SASL_SSL,"
                    + " SCRAM, mTLS: security.protocol, sasl.*, ssl.*) for every Kafka client; default plaintext");
            System.out.println(InteropConfig.USAGE);
            System.out.println(CodesServeConfig.USAGE);
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
        args = KafkaClientSettings.withoutOption(args);
        InteropConfig.Parsed interop = InteropConfig.parse(args);
        CodesServeConfig.Parsed codes = CodesServeConfig.parse(interop.remaining());
        ServeConfig.Parsed parsed = ServeConfig.parse(codes.remaining());
        parsed = new ServeConfig.Parsed(parsed.config().withInterop(interop.config()), parsed.problems());
        List<String> problems = new ArrayList<>(parsed.problems());
        problems.addAll(interop.problems());
        problems.addAll(parsed.config().validate());
        problems.addAll(codes.problems());
        problems.addAll(codes.config().validate());
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("configuration: " + p));
            System.err.println(ServeConfig.USAGE);
            System.exit(2);
        }
        if (interop.config().hubMode()) {
            HubNode hub = HubNode.start(parsed.config(), kafka, new Slf4jAuditSink());
            Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "hub-shutdown"));
            System.out.println("HUB READY " + hub.baseUri() + " public key " + hub.hub().publicKeyFile());
            System.out.flush();
            new CountDownLatch(1).await();
            return;
        }
        ServingNode node = ServingNode.start(parsed.config(), codes.config(), kafka, new Slf4jAuditSink());
        if (interop.config().devOpenLookups()) {
            System.out.println("WARNING: --dev-open-lookups: requests without credentials read full statuses "
                    + "(development only)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "serving-shutdown"));
        System.out.println("SERVING READY " + node.baseUri());
        System.out.flush();
        stopped.await();
    }
}
