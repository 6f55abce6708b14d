package org.healthcode.ingest.city;

import java.util.ArrayList;
import java.util.List;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.Diagnosis;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.proto.Scan;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.proto.Trip;
import org.healthcode.ingest.wire.EventTrees;

/**
 * A small scripted outbreak planted into a synthetic city, with its ground truth: one planted case, and around it
 * one companion, one venue co-visitor, a close and a rest co-passenger, and the near-misses (9 minutes in the case's
 * cell, 20 minutes in the next cell, 31 minutes apart at the venue), so a test of the whole job can demand exactly
 * this set.
 *
 * <p>The planted persons are residents beyond the city's own (indices {@code persons ..}): they have identity
 * bindings and the scripted events below, nothing else, so nothing about the ordinary residents changes. The place is
 * a quiet spot south-east of Nansha, far from every home, workplace, venue and route, at the centre of a cell of the
 * default grid (DESIGN §3: 800 m cells, origin 23.13 N 113.32 E); the near-miss cell is the next one east. The case's
 * phone sits there for 30.5 h from the start, so the default long-stay clause (AND, > 30 h) holds and the 10-minute
 * threshold alone decides. Timeline (hours after the start): 0-30.5 the case's phone at the spot; 14:00-14:20 the
 * companion; 15:00-15:09 the 9-minute near-miss; 14:00-14:20 the next-cell near-miss; 31:00-33:10 flight row 10 (row
 * 13 close, row 14 rest); 35:00 venue scan (+25 min co-visitor, +31 min near-miss); 37:00 positive single-tube PCR
 * (found); 43:00 asymptomatic diagnosis. Needs {@link #MIN_DAYS} days.
 */
final class PlantedContacts {
    static final int MIN_DAYS = 2;
    static final String VENUE = "V440115-P1";
    static final String FLIGHT = "CZ9901";
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final String REGION = Districts.CITY_CODE;
    /** The default grid of DESIGN §3, only to centre the spot in a cell (the city itself knows no cells). */
    private static final double GRID_M = 800.0, ORIGIN_LAT = 23.13, ORIGIN_LON = 113.32, EARTH_RADIUS_M = 6_371_008.8;
    /** Roughly where the spot is: open water and flats south-east of Nansha. */
    private static final double NEAR_LAT = 22.62, NEAR_LON = 113.66;

    private static final int CASE = 0,
            COMPANION = 1,
            NINE_MINUTES = 2,
            NEXT_CELL = 3,
            CO_VISITOR = 4,
            THIRTY_ONE_MINUTES = 5,
            ROW_PLUS_3 = 6,
            ROW_PLUS_4 = 7,
            COUNT = 8;

    private final Population population;
    private final long start;
    private final int first;
    private final double[] spot;
    private final double[] nextCell;

    PlantedContacts(Population population, long start) {
        this.population = population;
        this.start = start;
        this.first = population.persons();
        double cos = Math.cos(Math.toRadians(ORIGIN_LAT));
        double x = EARTH_RADIUS_M * Math.toRadians(NEAR_LON - ORIGIN_LON) * cos;
        double y = EARTH_RADIUS_M * Math.toRadians(NEAR_LAT - ORIGIN_LAT);
        double cx = (Math.floor(x / GRID_M) + 0.5) * GRID_M;
        double cy = (Math.floor(y / GRID_M) + 0.5) * GRID_M;
        this.spot = position(cx, cy, cos);
        this.nextCell = position(cx + GRID_M, cy, cos);
    }

    private static double[] position(double x, double y, double cos) {
        return new double[] {
            round6(ORIGIN_LAT + Math.toDegrees(y / EARTH_RADIUS_M)),
            round6(ORIGIN_LON + Math.toDegrees(x / (EARTH_RADIUS_M * cos)))
        };
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** Resident index of the planted case. */
    int casePerson() {
        return first + CASE;
    }

    /** Number of planted residents (the case included); their indices follow the city's own. */
    int count() {
        return COUNT;
    }

    /** When the planted case is found: its positive single-tube sample. */
    long found() {
        return start + 37 * HOUR;
    }

    List<PlantedContact> truth() {
        int c = casePerson();
        return List.of(
                new PlantedContact(
                        first + COMPANION,
                        c,
                        "companion",
                        null,
                        spot[0],
                        spot[1],
                        "20 minutes in the case's cell while the case's phone stayed there 30.5 h"),
                new PlantedContact(
                        first + NINE_MINUTES,
                        c,
                        PlantedContact.NONE,
                        null,
                        spot[0],
                        spot[1],
                        "9 minutes in the case's cell"),
                new PlantedContact(
                        first + NEXT_CELL,
                        c,
                        PlantedContact.NONE,
                        null,
                        nextCell[0],
                        nextCell[1],
                        "20 minutes at the same time in the next cell east"),
                new PlantedContact(
                        first + CO_VISITOR,
                        c,
                        "venue_co_visit",
                        VENUE,
                        Double.NaN,
                        Double.NaN,
                        "scanned in 25 minutes after the case"),
                new PlantedContact(
                        first + THIRTY_ONE_MINUTES,
                        c,
                        PlantedContact.NONE,
                        VENUE,
                        Double.NaN,
                        Double.NaN,
                        "scanned in 31 minutes after the case"),
                new PlantedContact(
                        first + ROW_PLUS_3,
                        c,
                        "same_vehicle_close",
                        flightId(),
                        Double.NaN,
                        Double.NaN,
                        "flight, 3 rows behind the case"),
                new PlantedContact(
                        first + ROW_PLUS_4,
                        c,
                        "same_vehicle_rest",
                        flightId(),
                        Double.NaN,
                        Double.NaN,
                        "flight, 4 rows behind the case: not close, the rest of the flight"));
    }

    private String flightId() {
        return FLIGHT + "@" + IsoTimes.formatDate(start + 31 * HOUR);
    }

    /** Every planted event, sorted by time. */
    List<Timed> events() {
        List<Timed> out = new ArrayList<>();
        for (int k = 0; k < COUNT; k++) {
            int p = first + k;
            out.add(timed(
                    base("police", "plant-id-" + k, start, p)
                            .setMsisdn(population.msisdn(p))
                            .setIdentity(Identity.newBuilder()
                                    .setAreaCode(population.district(p).code())),
                    start,
                    Feed.POLICE));
        }
        for (long t = start; t <= start + 30 * HOUR + 30 * MINUTE; t += 30 * MINUTE) {
            out.add(ping(CASE, t, spot));
        }
        long afternoon = start + 14 * HOUR;
        for (int m = 0; m <= 20; m += 10) {
            out.add(ping(COMPANION, afternoon + m * MINUTE, spot));
            out.add(ping(NEXT_CELL, afternoon + m * MINUTE, nextCell));
        }
        out.add(ping(NINE_MINUTES, start + 15 * HOUR, spot));
        out.add(ping(NINE_MINUTES, start + 15 * HOUR + 9 * MINUTE, spot));
        long dep = start + 31 * HOUR;
        long arr = dep + 2 * HOUR + 10 * MINUTE;
        out.add(trip(CASE, 10, dep, arr));
        out.add(trip(ROW_PLUS_3, 13, dep, arr));
        out.add(trip(ROW_PLUS_4, 14, dep, arr));
        long scan = start + 35 * HOUR;
        out.add(scan(CASE, scan));
        out.add(scan(CO_VISITOR, scan + 25 * MINUTE));
        out.add(scan(THIRTY_ONE_MINUTES, scan + 31 * MINUTE));
        out.add(timed(
                base("health", "plant-pcr", found(), casePerson())
                        .setTestResult(TestResult.newBuilder()
                                .setMethod("pcr")
                                .setResult("positive")
                                .setPooled(false)
                                .setTubeId("S-PLANT")),
                found(),
                Feed.HEALTH));
        long dx = start + 43 * HOUR;
        out.add(timed(
                base("health", "plant-diagnosis", dx, casePerson())
                        .setDiagnosis(Diagnosis.newBuilder().setStatus(DiagnosisStatus.ASYMPTOMATIC.wireName())),
                dx,
                Feed.HEALTH));
        out.sort(java.util.Comparator.comparingLong(Timed::time));
        return out;
    }

    private Timed ping(int k, long t, double[] pos) {
        int p = first + k;
        return timed(
                Event.newBuilder()
                        .setFeed("carrier")
                        .setEventId("plant-ping-" + k + "-" + (t - start) / MINUTE)
                        .setTime(IsoTimes.format(t))
                        .setRegion(REGION)
                        .setMsisdn("+86" + population.msisdn(p))
                        .setPing(Ping.newBuilder().setLat(pos[0]).setLon(pos[1])),
                t,
                Feed.CARRIER);
    }

    private Timed trip(int k, int row, long dep, long arr) {
        int p = first + k;
        return timed(
                base("transport", "plant-trip-" + k, dep, p)
                        .setTrip(Trip.newBuilder()
                                .setMode("flight")
                                .setVehicleId(flightId())
                                .setSealed(false)
                                .setFromArea(REGION)
                                .setToArea("110000")
                                .setDeparture(IsoTimes.format(dep))
                                .setArrival(IsoTimes.format(arr))
                                .setRow(row)),
                dep,
                Feed.TRANSPORT);
    }

    private Timed scan(int k, long t) {
        int p = first + k;
        return timed(
                base("venue", "plant-scan-" + k, t, p)
                        .setScan(Scan.newBuilder()
                                .setVenueId(VENUE)
                                .setAreaCode("440115")
                                .setDirection("in")),
                t,
                Feed.VENUE);
    }

    private Event.Builder base(String feed, String id, long t, int p) {
        return Event.newBuilder()
                .setFeed(feed)
                .setEventId(id)
                .setTime(IsoTimes.format(t))
                .setRegion(REGION)
                .setIdNumber(population.idNumber(p));
    }

    private static Timed timed(Event.Builder b, long time, Feed feed) {
        b.setType(EventTrees.bodyType(b.build()));
        return new Timed(time, feed, b.build());
    }
}
