package org.healthcode.ingest.decode;

import java.io.Serializable;

/**
 * Turns raw feed records (a JSON line, or a Protobuf {@code Event} from Kafka) into validated, pseudonymised
 * {@link org.healthcode.ingest.events.Event}s, or into a {@link Rejected} naming the field and the reason.
 *
 * <p>Serializable: the Flink job ships one instance (with the region's pseudonym key) to its decode operator.
 * Never throws on bad input: every problem becomes a {@link Rejected}.
 */
public interface EventDecoder extends Serializable {

    /** Decodes one JSON line (without its line terminator); {@code lineNumber} is 1-based. */
    Decoded decodeJsonLine(byte[] line, long lineNumber);

    /** Decodes one Protobuf {@code healthcode.events.v1.Event} read from a Kafka topic. */
    Decoded decodeProto(byte[] value, String topic, int partition, long offset);
}
