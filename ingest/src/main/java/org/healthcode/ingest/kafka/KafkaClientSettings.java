package org.healthcode.ingest.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client settings a process applies to every client it makes (producers, consumers, admin clients, the
 * job's sources and sinks): how it reaches and authenticates to the cluster, read from a properties file given with
 * {@value #OPTION}.
 *
 * <p>The file holds what a secured cluster asks of its clients: {@code security.protocol} ({@code SASL_SSL},
 * {@code SSL}), {@code sasl.mechanism} ({@code SCRAM-SHA-512}, {@code PLAIN}, ...), {@code sasl.jaas.config},
 * {@code ssl.truststore.*} and, for mutual TLS, {@code ssl.keystore.*}. Settings a process needs to keep its own
 * promises (serialisers, isolation level, idempotence, transactions, group and client ids) always win over the
 * file, which cannot name them: {@link #load} refuses such keys, so a file never weakens exactly-once or
 * read_committed.
 * {@code bootstrap.servers} comes from the command line as before.
 */
public final class KafkaClientSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The command-line option naming the file, the same in every process. */
    public static final String OPTION = "--kafka-config";

    /** No settings: plaintext, unauthenticated (the embedded demo broker on loopback). */
    public static final KafkaClientSettings NONE = new KafkaClientSettings(new TreeMap<>());

    /** Keys a process sets itself; a file naming one is refused. */
    static final Set<String> OWNED_BY_PROCESS = Set.of(
            "bootstrap.servers",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer",
            "isolation.level",
            "enable.idempotence",
            "acks",
            "transactional.id",
            "transaction.timeout.ms",
            "group.id",
            "enable.auto.commit",
            "client.id");

    private final TreeMap<String, String> settings;

    private KafkaClientSettings(TreeMap<String, String> settings) {
        this.settings = settings;
    }

    /** The settings in {@code file} (Java properties format); throws naming the file and every refused key. */
    public static KafkaClientSettings load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        TreeMap<String, String> map = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            map.put(key.trim(), p.getProperty(key).trim());
        }
        return of(map, file.toString());
    }

    /** The given settings, checked as {@link #load} checks a file's. */
    public static KafkaClientSettings of(Map<String, String> settings) {
        return of(new TreeMap<>(settings), "settings");
    }

    private static KafkaClientSettings of(TreeMap<String, String> map, String source) {
        Set<String> refused = new java.util.TreeSet<>(map.keySet());
        refused.retainAll(OWNED_BY_PROCESS);
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(
                    OPTION + " " + source + ": " + refused + " are set by the process itself and cannot be given here");
        }
        return new KafkaClientSettings(map);
    }

    /** The settings given with {@value #OPTION} in {@code args} (either form), or {@link #NONE} without it. */
    public static KafkaClientSettings fromArgs(String[] args) throws IOException {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION) && i + 1 < args.length) {
                return load(Path.of(args[i + 1]));
            }
            if (args[i].startsWith(OPTION + "=")) {
                return load(Path.of(args[i].substring(OPTION.length() + 1)));
            }
        }
        return NONE;
    }

    /** {@code args} without {@value #OPTION} and its value, for parsers that do not know the option. */
    public static String[] withoutOption(String[] args) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION)) {
                i++;
            } else if (!args[i].startsWith(OPTION + "=")) {
                rest.add(args[i]);
            }
        }
        return rest.toArray(String[]::new);
    }

    /** A new {@link Properties} holding these settings, then {@code own} on top (the process's settings win). */
    public Properties with(Properties own) {
        Properties p = properties();
        p.putAll(own);
        return p;
    }

    /** A new {@link Properties} holding just these settings. */
    public Properties properties() {
        Properties p = new Properties();
        settings.forEach(p::setProperty);
        return p;
    }

    /** The settings, read-only. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(settings);
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** One line for a start-up log: the protocol and mechanism, never a password. */
    public String describe() {
        if (settings.isEmpty()) {
            return "PLAINTEXT, no authentication";
        }
        return settings.getOrDefault("security.protocol", "PLAINTEXT")
                + (settings.containsKey("sasl.mechanism") ? " " + settings.get("sasl.mechanism") : "")
                + (settings.containsKey("ssl.keystore.location") || settings.containsKey("ssl.keystore.key")
                        ? " with a client certificate"
                        : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaClientSettings k && k.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "KafkaClientSettings[" + describe() + "]";
    }
}
