package org.healthcode.ingest.city;

import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;

/** An event with its time in epoch ms and its feed, as the generator merges its streams in event-time order. */
record Timed(long time, Feed feed, Event event) {}
