package org.healthcode.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * How a secured {@link KafkaBroker} authenticates and authorises: TLS on every listener, SASL SCRAM-SHA-512 for
 * clients and for the broker's own connections, SASL PLAIN over TLS on the controller listener (KRaft controllers do
 * not take SCRAM), and ACLs ({@code StandardAuthorizer}) with nothing allowed that no ACL grants.
 *
 * @param keyStore         the broker's PKCS12 key store (its key and certificate, valid for 127.0.0.1)
 * @param keyStorePassword its password (also the key's)
 * @param trustedCertificates the PEM certificates clients (and the broker, to itself) trust: the broker's own
 *                         when self-signed, else its CA's
 * @param adminUser        the super user: the broker's own principal, and the one that creates users, topics and ACLs
 * @param adminPassword    its password
 * @param users            further SCRAM users to create at the first start (name to password); ACLs grant them rights
 */
public record BrokerSecurity(
        Path keyStore,
        String keyStorePassword,
        Path trustedCertificates,
        String adminUser,
        String adminPassword,
        Map<String, String> users) {
    /** The SASL mechanism clients use. */
    public static final String SCRAM = "SCRAM-SHA-512";

    public BrokerSecurity {
        users = Map.copyOf(users);
    }

    /**
     * What the engine's processes need of a cluster with ACLs, granted to {@code principal} (e.g. {@code User:engine}):
     * every topic, their consumer groups and transactional ids, and idempotent writes. A region's cluster may grant
     * narrower rights (the topics of TopicCatalogue, the group and transactional-id prefixes its processes use).
     */
    public static List<AclBinding> engineAcls(String principal) {
        return List.of(
                allow(principal, ResourceType.TOPIC, "*", AclOperation.ALL),
                allow(principal, ResourceType.GROUP, "*", AclOperation.ALL),
                allow(principal, ResourceType.TRANSACTIONAL_ID, "*", AclOperation.ALL),
                allow(principal, ResourceType.CLUSTER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE));
    }

    private static AclBinding allow(String principal, ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    /**
     * A self-signed certificate for 127.0.0.1 (made with the JDK's {@code keytool}, valid 2 days) in {@code dir},
     * fresh random passwords, an admin and the given users with random passwords: for tests and local trials.
     * A region's cluster uses certificates from its own CA.
     */
    public static BrokerSecurity generate(Path dir, List<String> userNames) throws IOException {
        Files.createDirectories(dir);
        String storePassword = randomSecret();
        Path keyStore = dir.resolve("broker.p12");
        Path cert = dir.resolve("broker.pem");
        keytool(
                storePassword,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass:env",
                "STOREPASS",
                "-keypass:env",
                "STOREPASS");
        keytool(
                storePassword,
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass:env",
                "STOREPASS",
                "-file",
                cert.toString());
        Map<String, String> users = new LinkedHashMap<>();
        for (String u : userNames) {
            users.put(u, randomSecret());
        }
        return new BrokerSecurity(keyStore, storePassword, cert, "admin", randomSecret(), users);
    }

    /** The client settings (a {@code --kafka-config} file's content) for {@code user}: SASL_SSL with SCRAM. */
    public Properties clientProperties(String user) {
        String password = user.equals(adminUser) ? adminPassword : users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no such user: " + user);
        }
        return clientProperties(user, password);
    }

    /** Client settings for any name and password, e.g. to show that a wrong password is refused. */
    public Properties clientProperties(String user, String password) {
        Properties p = new Properties();
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("sasl.mechanism", SCRAM);
        p.setProperty("sasl.jaas.config", scramLogin(user, password));
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", trustedCertificates.toString());
        return p;
    }

    /** Writes {@link #clientProperties(String)} of {@code user} to {@code file}, readable by its owner only. */
    public Path writeClientConfig(String user, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(
                file,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(file)) {
            clientProperties(user).store(out, "Kafka client settings of " + user);
        }
        return file;
    }

    /** The listener and security settings of the broker, added to its server properties. */
    void applyTo(Properties p, int brokerPort, int controllerPort, String host) {
        p.setProperty(
                "listeners", "CLIENT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "CLIENT://" + host + ":" + brokerPort);
        p.setProperty("inter.broker.listener.name", "CLIENT");
        p.setProperty("listener.security.protocol.map", "CLIENT:SASL_SSL,CONTROLLER:SASL_SSL");
        p.setProperty("sasl.enabled.mechanisms", SCRAM);
        p.setProperty("sasl.mechanism.inter.broker.protocol", SCRAM);
        p.setProperty("listener.name.client.sasl.enabled.mechanisms", SCRAM);
        p.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config", scramLogin(adminUser, adminPassword));
        p.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        p.setProperty("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.setProperty(
                "listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + adminUser
                        + "\" password=\"" + adminPassword + "\" user_" + adminUser + "=\"" + adminPassword + "\";");
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", keyStore.toString());
        p.setProperty("ssl.keystore.password", keyStorePassword);
        p.setProperty("ssl.key.password", keyStorePassword);
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", trustedCertificates.toString());
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("super.users", "User:" + adminUser);
        p.setProperty("allow.everyone.if.no.acl.found", "false");
    }

    /** The storage tool's {@code --add-scram} arguments: every user's credential, in the first metadata. */
    List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(adminUser, adminPassword);
        all.putAll(users);
        all.forEach((name, password) -> {
            args.add("--add-scram");
            args.add(SCRAM + "=[name=" + name + ",password=" + password + "]");
        });
        return args;
    }

    private static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static String randomSecret() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Runs keytool with the store password in its environment, not on its command line. */
    private static void keytool(String storePassword, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("STOREPASS", storePassword);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    @Override
    public String toString() {
        return "BrokerSecurity[SASL_SSL " + SCRAM + ", users " + users.keySet() + "]";
    }
}
