package org.healthcode.ingest.decode;

/**
 * A record that did not make it into the job, with its original bytes, where it came from and why.
 *
 * <p>Kafka records carry {@code topic/partition/offset} (line is -1); file lines carry {@code line} (1-based;
 * topic is null, partition and offset are -1). {@code field} names the offending field, or is null when the
 * record as a whole is bad (not JSON, not Protobuf). {@code reason} is one human sentence that names the field.
 * Reasons start with a stable category word: {@code malformed}, {@code missing}, {@code invalid},
 * {@code unknown_type}, {@code duplicate} (not used: duplicates are dropped, see DESIGN §5), {@code late}.
 */
public record Rejected(
        String topic, int partition, long offset, long line, String category, String field, String reason, byte[] raw) {

    public static Rejected ofKafka(
            String topic, int partition, long offset, String category, String field, String reason, byte[] raw) {
        return new Rejected(topic, partition, offset, -1, category, field, reason, raw);
    }

    public static Rejected ofLine(long line, String category, String field, String reason, byte[] raw) {
        return new Rejected(null, -1, -1, line, category, field, reason, raw);
    }

    /** Where it came from, e.g. {@code health/0@1234} or {@code line 17}. */
    public String source() {
        return topic != null ? topic + "/" + partition + "@" + offset : "line " + line;
    }
}
