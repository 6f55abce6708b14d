package org.healthcode.ingest.city;

import java.io.IOException;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;

/** Where the city's events go: a JSON Lines stream or the Kafka feed topics, in event-time order. */
public interface CitySink extends AutoCloseable {
    /** One event of {@code feed} (raw ID and phone numbers; the engine pseudonymises at ingest). */
    void accept(Feed feed, Event event) throws IOException;

    /** A record that does not even parse in this sink's format (bad JSON, Protobuf garbage). */
    void acceptGarbage(Feed feed, String key) throws IOException;

    /** Makes everything accepted so far visible (called before the pacer sleeps). */
    default void flush() throws IOException {}

    @Override
    void close() throws IOException;
}
