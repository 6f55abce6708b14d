package org.healthcode.risk.sources;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/**
 * Makes sure a topic the job owns exists: {@code rules} before the job subscribes to it (a Kafka source on a missing
 * topic fails) and {@code audit} before it writes to it. One partition, so rule sets and audit lines keep their order.
 */
public final class RulesTopic {
    private RulesTopic() {}

    public static void ensure(String bootstrap, String topic) throws InterruptedException {
        ensure(bootstrap, KafkaClientSettings.NONE, topic);
    }

    /** As {@link #ensure(String, String)}, with the client settings of {@code --kafka-config}. */
    public static void ensure(String bootstrap, KafkaClientSettings client, String topic) throws InterruptedException {
        Properties p = client.properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the " + topic + " topic: " + e.getCause(), e.getCause());
            }
        }
    }
}
