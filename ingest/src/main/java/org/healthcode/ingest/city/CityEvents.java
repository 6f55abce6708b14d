package org.healthcode.ingest.city;

import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.wire.EventTrees;

/** The city's event builders: the health and police envelope of a resident, test results, and the typed event. */
final class CityEvents {
    static final String REGION = Districts.CITY_CODE;

    private final Population population;

    CityEvents(Population population) {
        this.population = population;
    }

    Event.Builder health(long time, String id, int p) {
        return Event.newBuilder()
                .setFeed("health")
                .setEventId(id)
                .setTime(IsoTimes.format(time))
                .setRegion(REGION)
                .setIdNumber(population.idNumber(p));
    }

    Event.Builder police(long time, String id, int p) {
        return Event.newBuilder()
                .setFeed("police")
                .setEventId(id)
                .setTime(IsoTimes.format(time))
                .setRegion(REGION)
                .setIdNumber(population.idNumber(p));
    }

    Timed test(int p, long time, String id, String method, boolean positive, String tube, boolean pooled) {
        TestResult.Builder b = TestResult.newBuilder()
                .setMethod(method)
                .setResult(positive ? "positive" : "negative")
                .setPooled(pooled);
        if (tube != null) {
            b.setTubeId(tube);
        }
        return timed(health(time, id, p).setTestResult(b), time, Feed.HEALTH);
    }

    /** Builds the event with its {@code type} taken from the body that was set. */
    static Timed timed(Event.Builder b, long time, Feed feed) {
        if (b.getType().isEmpty()) {
            b.setType(EventTrees.bodyType(b.build()));
        }
        return new Timed(time, feed, b.build());
    }
}
