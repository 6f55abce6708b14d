package org.healthcode.risk.events;

/**
 * One record of a compacted topic the job publishes for the serving process (the latest per key is what counts): a
 * key and its JSON value, or a tombstone ({@code json == null}) that removes the key.
 *
 * @param key the record's key (a vehicle id, a listing id, a person pseudonym)
 * @param json the value as one line of JSON, or null for a tombstone
 */
public record PublishedRecord(String key, String json) {
    /** A tombstone for {@code key}. */
    public static PublishedRecord tombstone(String key) {
        return new PublishedRecord(key, null);
    }
}
