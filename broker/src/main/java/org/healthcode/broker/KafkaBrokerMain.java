package org.healthcode.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link KafkaBroker} in its own JVM until the process is stopped (SIGTERM or Ctrl-C shut it down cleanly).
 *
 * <p>Usage: {@code KafkaBrokerMain --data DIR [--port N]} (port 0, the default, picks a free one). Prints
 * {@code BROKER READY <host:port>} on standard output once clients can connect; everything else goes to the log.
 */
public final class KafkaBrokerMain {
    /** The log configuration this main uses unless {@code log4j2.configurationFile} is set. */
    static final String LOG_CONFIG = "healthcode-broker-log4j2.xml";

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        Path data = null;
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--data") || a.equals("--port")) && i + 1 >= args.length) {
                usage(a + " needs a value");
            }
            switch (a) {
                case "--data" -> data = Path.of(args[++i]);
                case "--port" -> {
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--port must be a number, got " + args[i]);
                    }
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown option " + a);
            }
        }
        if (data == null) {
            usage("--data is required");
        }
        KafkaBroker broker = KafkaBroker.start(data, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "broker-shutdown"));
        System.out.println("BROKER READY " + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private static final String USAGE = "usage: KafkaBrokerMain --data DIR [--port N]   (N = 0: a free port)";

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
