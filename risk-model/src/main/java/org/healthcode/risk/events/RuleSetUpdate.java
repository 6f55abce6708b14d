package org.healthcode.risk.events;

import org.healthcode.ingest.decode.Rejected;

/**
 * A rule-set message from the {@code rules} topic (or the rule file of a replay): the rule-set JSON as sent.
 *
 * @param topic Kafka topic, or null for a file
 * @param partition Kafka partition, -1 for a file
 * @param offset Kafka offset, -1 for a file
 * @param json the rule-set JSON bytes
 */
public record RuleSetUpdate(String topic, int partition, long offset, byte[] json) {

    public static RuleSetUpdate ofFile(byte[] json) {
        return new RuleSetUpdate(null, -1, -1, json);
    }

    /** This message as a rejection, e.g. when the rule set is invalid. */
    public Rejected reject(String category, String field, String reason) {
        return topic != null
                ? Rejected.ofKafka(topic, partition, offset, category, field, reason, json)
                : Rejected.ofLine(1, category, field, reason, json);
    }
}
