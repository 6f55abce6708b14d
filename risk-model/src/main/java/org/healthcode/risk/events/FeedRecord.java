package org.healthcode.risk.events;

import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.RawScrubber;
import org.healthcode.ingest.decode.Rejected;
import org.healthcode.ingest.events.Event;

/**
 * One feed record after decoding, with where it came from: exactly one of {@code event} and {@code rejected} is set.
 *
 * <p>The origin and the original bytes travel with the event up to the lateness check, so that an event rejected
 * there as {@code late} still reaches the {@code rejected} topic with its bytes and position.
 *
 * @param event the decoded event, or null
 * @param rejected why it was rejected, or null
 * @param topic Kafka topic, or null for a file line
 * @param partition Kafka partition, -1 for a file line
 * @param offset Kafka offset, -1 for a file line
 * @param line 1-based line number in a file, -1 for Kafka
 * @param raw the original bytes
 */
public record FeedRecord(
        Event event, Rejected rejected, String topic, int partition, long offset, long line, byte[] raw) {

    public static FeedRecord ofKafka(Decoded d, String topic, int partition, long offset, byte[] raw) {
        return new FeedRecord(d.event(), d.rejected(), topic, partition, offset, -1, raw);
    }

    public static FeedRecord ofLine(Decoded d, long line, byte[] raw) {
        return new FeedRecord(d.event(), d.rejected(), null, -1, -1, line, raw);
    }

    public boolean isEvent() {
        return event != null;
    }

    /**
     * The same record turned into a rejection, e.g. for an event that arrived too late. Its bytes leave ingest with
     * the event's pseudonyms in place of a raw ID number or phone number ({@link RawScrubber}).
     */
    public Rejected reject(String category, String field, String reason) {
        byte[] bytes = raw;
        if (event != null && raw != null) {
            bytes = topic != null
                    ? RawScrubber.proto(raw, v -> event.personId(), v -> event.msisdn())
                    : RawScrubber.json(raw, v -> event.personId(), v -> event.msisdn());
        }
        return topic != null
                ? Rejected.ofKafka(topic, partition, offset, category, field, reason, bytes)
                : Rejected.ofLine(line, category, field, reason, bytes);
    }
}
