package org.healthcode.bench.pipeline;

import java.io.IOException;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;

/**
 * Which of the city's events a run sends: all of them, or all but the carrier pings (so the job's cost outside
 * contact detection's ping path can be measured on its own; pings are about 95% of a city's events).
 */
public enum FeedMix {
    ALL,
    WITHOUT_PINGS;

    /** {@code sink} passing on only the events of this mix. */
    public CitySink filter(CitySink sink) {
        if (this == ALL) {
            return sink;
        }
        return counting(sink, new long[1]);
    }

    /** {@code sink} passing on only the events of this mix, counting them (garbage records too) in {@code count[0]}. */
    public CitySink counting(CitySink sink, long[] count) {
        return counting(sink, count, new Event[1]);
    }

    /**
     * As {@link #counting(CitySink, long[])}, also keeping the last event passed on in {@code last[0]} (the city runs
     * in event-time order, so that is the latest).
     */
    public CitySink counting(CitySink sink, long[] count, Event[] last) {
        return new CitySink() {
            @Override
            public void accept(Feed feed, Event event) throws IOException {
                if (FeedMix.this == ALL || !event.getType().equals("ping")) {
                    count[0]++;
                    last[0] = event;
                    sink.accept(feed, event);
                }
            }

            @Override
            public void acceptGarbage(Feed feed, String key) throws IOException {
                count[0]++;
                sink.acceptGarbage(feed, key);
            }

            @Override
            public void flush() throws IOException {
                sink.flush();
            }

            @Override
            public void close() throws IOException {
                sink.close();
            }
        };
    }

    public String wireName() {
        return this == ALL ? "all" : "without-pings";
    }
}
