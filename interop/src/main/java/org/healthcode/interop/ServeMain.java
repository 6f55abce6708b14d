package org.healthcode.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.healthcode.interop.audit.Slf4jAuditSink;
import org.healthcode.interop.config.ServeConfig;

/**
 * Runs the serving process: the status view fed from Kafka and the lookup API. Prints
 * {@code SERVING READY http://127.0.0.1:<port>} on standard output once HTTP answers; SIGTERM or Ctrl-C stop it
 * cleanly (consumer closed, view flushed).
 */
public final class ServeMain {
    private ServeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ServeConfig.USAGE);
            return;
        }
        ServeConfig.Parsed parsed = ServeConfig.parse(args);
        List<String> problems = new ArrayList<>(parsed.problems());
        problems.addAll(parsed.config().validate());
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("configuration: " + p));
            System.err.println(ServeConfig.USAGE);
            System.exit(2);
        }
        ServingNode node = ServingNode.start(parsed.config(), new Slf4jAuditSink());
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
