package org.healthcode.ingest.city;

import static org.healthcode.ingest.city.SyntheticCity.DAY;
import static org.healthcode.ingest.city.SyntheticCity.HOUR;
import static org.healthcode.ingest.city.SyntheticCity.MINUTE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.CityStay;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.proto.Scan;
import org.healthcode.ingest.proto.Trip;

/**
 * Routine life: identity bindings at the start, then every resident's day drawn from (seed, person, day): evening
 * venue scans, day trips by flight, sealed train and bus (with the destination's city stay), pooled routine PCR tests
 * every three days and antigen self-tests, all negative, and fever-clinic visits; none while the outbreak keeps the
 * resident isolated.
 */
final class RoutineLife {
    private static final long T_PLAN = 11, T_TUBE = 12;
    private static final String REGION = CityEvents.REGION;

    private final CityConfig config;
    private final Population population;
    private final long start;
    private final long end;
    private final Outbreak outbreak;
    /** With planted contacts on, a case stays in (no venue, no trip) until it is found. */
    private final boolean casesStayIn;

    private final CityEvents events;

    RoutineLife(
            CityConfig config,
            Population population,
            long start,
            long end,
            Outbreak outbreak,
            boolean casesStayIn,
            CityEvents events) {
        this.config = config;
        this.population = population;
        this.start = start;
        this.end = end;
        this.outbreak = outbreak;
        this.casesStayIn = casesStayIn;
        this.events = events;
    }

    /** Every resident's identity binding (ID number, phone, district), at the start. */
    Iterator<Timed> identities() {
        return new Iterator<>() {
            int p = 0;

            @Override
            public boolean hasNext() {
                return p < population.persons();
            }

            @Override
            public Timed next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = p++;
                return CityEvents.timed(
                        events.police(start, "id-" + i, i)
                                .setIdentity(Identity.newBuilder()
                                        .setAreaCode(population.district(i).code()))
                                .setMsisdn(population.msisdn(i)),
                        start,
                        Feed.POLICE);
            }
        };
    }

    /** Routine activity, generated one hour at a time and sorted within the hour. */
    Iterator<Timed> routine() {
        return new Iterator<>() {
            long hourStart = start;
            Iterator<Timed> current = List.<Timed>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && hourStart < end) {
                    List<Timed> hour = new ArrayList<>();
                    for (int p = 0; p < population.persons(); p++) {
                        routineOf(p, hourStart, hourStart + HOUR, hour);
                    }
                    hour.sort(Comparator.comparingLong(Timed::time)); // stable: person order within one instant
                    current = hour.iterator();
                    hourStart += HOUR;
                }
                return current.hasNext();
            }

            @Override
            public Timed next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** A resident's plans for one simulated day, all drawn in a fixed order from (seed, person, day). */
    record DayPlan(
            long dayStart,
            int venue,
            long venueIn,
            long venueOut,
            Route route,
            int row,
            int carriage,
            long feverVisit,
            long antigenTest,
            long pooledTest,
            String tubeId) {}

    DayPlan plan(int p, int day) {
        long dayStart = start + day * DAY;
        SplittableRandom r = new SplittableRandom(Mix.hash(config.seed(), T_PLAN, p, day));
        // with planted contacts on, a case stays in until found, so every venue and vehicle contact of a case is
        // planted
        boolean staysIn = casesStayIn && outbreak.foundAt(p) > dayStart;
        boolean goesOut = r.nextDouble() < 0.4 && !staysIn;
        int venue = r.nextInt(population.venues());
        long venueIn = dayStart + 18 * HOUR + 30 * MINUTE + r.nextInt(90) * MINUTE + r.nextInt(60) * 1000L;
        long venueOut = venueIn + (30 + r.nextInt(90)) * MINUTE;
        boolean travels = r.nextDouble() < 0.01 && !staysIn;
        Route route = Route.ALL.get(r.nextInt(Route.ALL.size()));
        int row = 1 + r.nextInt(40);
        int carriage = 1 + r.nextInt(8);
        boolean fever = r.nextDouble() < 0.0005;
        long feverTime = dayStart + 9 * HOUR + r.nextInt(8 * 60) * MINUTE;
        boolean antigen = r.nextDouble() < 0.05;
        long antigenTime = dayStart + 7 * HOUR + r.nextInt(14 * 60) * MINUTE;
        int block = p / Population.TUBE_SIZE;
        long pooled = -1;
        String tube = null;
        if ((day + block) % 3 == 0) {
            pooled = dayStart
                    + 7 * HOUR
                    + Mix.below(Mix.hash(config.seed(), T_TUBE, block, day), 12 * 60) * MINUTE
                    + (p % Population.TUBE_SIZE) * 30_000L;
            tube = "G" + IsoTimes.formatDate(dayStart).replace("-", "") + "-" + block;
        }
        return new DayPlan(
                dayStart,
                goesOut ? venue : -1,
                venueIn,
                venueOut,
                travels ? route : null,
                row,
                carriage,
                fever ? feverTime : -1,
                antigen ? antigenTime : -1,
                pooled,
                tube);
    }

    boolean isIsolated(int p, long time) {
        return outbreak.isIsolated(p, time);
    }

    /** Adds the routine events of resident {@code p} that fall in [from, to). */
    private void routineOf(int p, long from, long to, List<Timed> out) {
        int day = (int) ((from - start) / DAY);
        DayPlan d = plan(p, day);
        if (isIsolated(p, d.dayStart()) || isIsolated(p, d.dayStart() + DAY - 1)) {
            return;
        }
        String date = IsoTimes.formatDate(d.dayStart());
        if (d.pooledTest() >= from && d.pooledTest() < to) {
            out.add(events.test(p, d.pooledTest(), "pool-" + day + "-" + p, "pcr", false, d.tubeId(), true));
        }
        if (d.antigenTest() >= from && d.antigenTest() < to) {
            out.add(events.test(p, d.antigenTest(), "ag-" + day + "-" + p, "antigen", false, null, false));
        }
        if (d.feverVisit() >= from && d.feverVisit() < to) {
            out.add(CityEvents.timed(
                    events.health(d.feverVisit(), "fever-" + day + "-" + p, p)
                            .setFeverClinicVisit(FeverClinicVisit.newBuilder()
                                    .setClinicId("FC" + population.district(p).code())),
                    d.feverVisit(),
                    Feed.HEALTH));
        }
        long feverTest = d.feverVisit() + 20 * MINUTE;
        if (d.feverVisit() >= 0 && feverTest >= from && feverTest < to) {
            out.add(events.test(p, feverTest, "fevertest-" + day + "-" + p, "pcr", false, "F" + date + "-" + p, false));
        }
        if (d.venue() >= 0) {
            String venueId = population.venueId(d.venue());
            String area = population.venueDistrict(d.venue()).code();
            for (long t : new long[] {d.venueIn(), d.venueOut()}) {
                if (t >= from && t < to) {
                    String dir = t == d.venueIn() ? "in" : "out";
                    out.add(CityEvents.timed(
                            Event.newBuilder()
                                    .setFeed("venue")
                                    .setType("scan")
                                    .setEventId("scan-" + day + "-" + p + "-" + dir)
                                    .setTime(IsoTimes.format(t))
                                    .setRegion(REGION)
                                    .setIdNumber(population.idNumber(p))
                                    .setScan(Scan.newBuilder()
                                            .setVenueId(venueId)
                                            .setAreaCode(area)
                                            .setDirection(dir)),
                            t,
                            Feed.VENUE));
                }
            }
        }
        Route r = d.route();
        if (r != null) {
            String home = population.district(p).code();
            long outDep = d.dayStart() + r.outDepart() * MINUTE;
            long outArr = d.dayStart() + r.outArrive() * MINUTE;
            long backDep = d.dayStart() + r.backDepart() * MINUTE;
            long backArr = d.dayStart() + r.backArrive() * MINUTE;
            if (outDep >= from && outDep < to) {
                out.add(trip(
                        p,
                        "trip-" + day + "-" + p + "-out",
                        r,
                        r.outVehicle() + "@" + date,
                        d,
                        home,
                        r.destArea(),
                        outDep,
                        outArr));
            }
            if (backDep >= from && backDep < to) {
                out.add(trip(
                        p,
                        "trip-" + day + "-" + p + "-back",
                        r,
                        r.backVehicle() + "@" + date,
                        d,
                        r.destArea(),
                        home,
                        backDep,
                        backArr));
                // the carrier reports the stay once it has ended
                out.add(CityEvents.timed(
                        Event.newBuilder()
                                .setFeed("carrier")
                                .setType("city_stay")
                                .setEventId("stay-" + day + "-" + p)
                                .setTime(IsoTimes.format(backDep))
                                .setRegion(REGION)
                                .setMsisdn("+86" + population.msisdn(p))
                                .setCityStay(CityStay.newBuilder()
                                        .setAreaCode(r.destArea())
                                        .setFrom(IsoTimes.format(outArr))
                                        .setTo(IsoTimes.format(backDep))),
                        backDep,
                        Feed.CARRIER));
            }
        }
    }

    private Timed trip(
            int p, String id, Route r, String vehicle, DayPlan d, String fromArea, String toArea, long dep, long arr) {
        Trip.Builder t = Trip.newBuilder()
                .setMode(r.mode())
                .setVehicleId(vehicle)
                .setSealed(r.sealed())
                .setFromArea(fromArea)
                .setToArea(toArea)
                .setDeparture(IsoTimes.format(dep))
                .setArrival(IsoTimes.format(arr));
        if (r.hasRows()) {
            t.setRow(d.row());
        }
        if (r.hasCarriages()) {
            t.setCarriage(Integer.toString(d.carriage()));
        }
        return CityEvents.timed(
                Event.newBuilder()
                        .setFeed("transport")
                        .setType("trip")
                        .setEventId(id)
                        .setTime(IsoTimes.format(dep))
                        .setRegion(REGION)
                        .setIdNumber(population.idNumber(p))
                        .setTrip(t),
                dep,
                Feed.TRANSPORT);
    }
}
