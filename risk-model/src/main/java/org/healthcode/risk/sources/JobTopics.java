package org.healthcode.risk.sources;

import java.util.ArrayList;
import java.util.List;
import org.healthcode.contracts.topics.TopicSetup;
import org.healthcode.ingest.kafka.KafkaClientSettings;

/**
 * The topics the live job reads and writes, checked before it is submitted through {@link TopicSetup}: the
 * authorities' feed topics must exist, and the job refuses to start naming the missing ones
 * ({@link TopicSetup.MissingTopicsException}); the engine's topics it needs are created when missing as the
 * catalogue says.
 */
public final class JobTopics {
    private JobTopics() {}

    /** The engine topics the job needs besides the feeds: {@code exchange-out} only with the exchange on. */
    public static List<String> engineTopics(boolean exchange) {
        List<String> names = new ArrayList<>(
                List.of("overrides", "interop", "declarations", "rules", "status", "rejected", "audit"));
        names.add("vehicle-cases");
        names.add("risk-areas");
        if (exchange) {
            names.add("exchange-out");
        }
        return names;
    }

    /**
     * Fails naming every missing feed topic, then creates the missing {@code engineTopics}; names are the
     * catalogue's with {@code prefix} in front.
     */
    public static void prepare(
            String bootstrapServers, KafkaClientSettings kafka, String prefix, List<String> engineTopics) {
        TopicSetup.prepare(bootstrapServers, kafka.properties(), prefix, engineTopics);
    }
}
