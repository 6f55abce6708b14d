package org.healthcode.ingest.city;

import static org.healthcode.ingest.city.SyntheticCity.DAY;
import static org.healthcode.ingest.city.SyntheticCity.HOUR;
import static org.healthcode.ingest.city.SyntheticCity.MINUTE;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.city.RoutineLife.DayPlan;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Ping;

/**
 * A phone ping per resident every 30 min, in the ping order of the population: where the resident's day puts them
 * (the trip's destination, the venue, the workplace in office hours, else home), with a small seeded jitter.
 */
final class Pings {
    private static final long T_JITTER = 14;
    private static final String REGION = CityEvents.REGION;

    private final CityConfig config;
    private final Population population;
    private final long start;
    private final long end;
    private final RoutineLife life;

    Pings(CityConfig config, Population population, long start, long end, RoutineLife life) {
        this.config = config;
        this.population = population;
        this.start = start;
        this.end = end;
        this.life = life;
    }

    Iterator<Timed> pings() {
        int[] order = population.pingOrder();
        long cycles = (end - start) / (Population.PING_PERIOD_S * 1000L);
        return new Iterator<>() {
            long cycle = 0;
            int k = 0;

            @Override
            public boolean hasNext() {
                return cycle < cycles;
            }

            @Override
            public Timed next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int p = order[k];
                long time = start + cycle * Population.PING_PERIOD_S * 1000L + population.phase(p) * 1000L;
                Timed t = ping(p, time, cycle);
                if (++k == order.length) {
                    k = 0;
                    cycle++;
                }
                return t;
            }
        };
    }

    private Timed ping(int p, long time, long cycle) {
        int day = (int) ((time - start) / DAY);
        DayPlan d = life.plan(p, day);
        double[] pos;
        long sinceDay = time - d.dayStart();
        Route r = d.route();
        boolean free = !life.isIsolated(p, time);
        if (free && r != null && sinceDay >= r.outDepart() * MINUTE && sinceDay < r.backArrive() * MINUTE) {
            pos = new double[] {r.destLat(), r.destLon()};
        } else if (free && d.venue() >= 0 && time >= d.venueIn() && time < d.venueOut()) {
            pos = population.venuePosition(d.venue());
        } else if (free && population.workplace(p) >= 0 && sinceDay >= 9 * HOUR && sinceDay < 18 * HOUR) {
            pos = population.workplacePosition(population.workplace(p));
        } else {
            pos = population.home(p);
        }
        long h = Mix.hash(config.seed(), T_JITTER, p, cycle);
        double lat = round6(pos[0] + (Mix.unit(h) - 0.5) * 0.002);
        double lon = round6(pos[1] + (Mix.unit(Mix.mix(h)) - 0.5) * 0.002);
        return CityEvents.timed(
                Event.newBuilder()
                        .setFeed("carrier")
                        .setType("ping")
                        .setEventId("ping-" + cycle + "-" + p)
                        .setTime(IsoTimes.format(time))
                        .setRegion(REGION)
                        .setMsisdn("+86" + population.msisdn(p))
                        .setPing(Ping.newBuilder().setLat(lat).setLon(lon)),
                time,
                Feed.CARRIER);
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
