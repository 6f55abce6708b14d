package org.healthcode.ingest.city;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.ContactDesignation;
import org.healthcode.ingest.proto.Diagnosis;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.Identity;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.proto.Quarantine;
import org.healthcode.ingest.proto.Scan;
import org.healthcode.ingest.proto.TestResult;
import org.healthcode.ingest.proto.Trip;
import org.healthcode.ingest.proto.CityStay;
import org.healthcode.ingest.wire.EventTrees;
import org.healthcode.contracts.wire.IsoTimes;

/**
 * A seeded, deterministic synthetic Guangzhou: residents with ID numbers, phones and households; identity
 * bindings; a phone ping every 30 min; evening venue scans; day trips by flight, sealed train and bus (with the
 * destination's city stay); pooled routine PCR tests every three days and antigen self-tests, all negative;
 * fever-clinic visits; and a few infections, the first within the first simulated hours, each with its fever visit,
 * pooled and single-tube positives, diagnosis, contact designations (degree 1 and 2) with quarantine and tests,
 * and discharge; and, unless turned off, a small planted outbreak with known companions, co-visitors, co-passengers
 * and near-misses ({@link PlantedContacts}, in {@link GroundTruth#planted()}).
 *
 * <p>Streaming: events are produced per hour (routine activity) and per half hour (pings) and merged in event-time
 * order, so memory does not grow with the number of events; 1 M residents need about 10 MB besides a few
 * hundred thousand events of one hour. Same configuration, same bytes: everything is a function of the seed.
 */
public final class SyntheticCity {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    private static final long T_PLAN = 11, T_TUBE = 12, T_CASE = 13, T_JITTER = 14, T_BAD = 15;
    private static final String REGION = Districts.CITY_CODE;

    private final CityConfig config;
    private final Population population;
    private final long start;
    private final long end;
    private final GroundTruth truth;
    /** Residents kept from routine activity (cases from their first positive sample, contacts in quarantine): from, to. */
    private final Map<Integer, long[]> isolated = new HashMap<>();
    /** Cases' positive samples by resident; with planted contacts on, cases stay in (no venue, no trip) until then. */
    private final Map<Integer, Long> foundAt = new HashMap<>();
    /** The planted outbreak, or null when planting is off or the run is too short for it. */
    private final PlantedContacts planted;

    public SyntheticCity(CityConfig config) {
        this.config = config.validate();
        this.population = new Population(config.seed(), config.persons());
        this.start = config.start().toEpochMilli();
        this.end = start + config.days() * DAY;
        this.planted = config.plantContacts() && config.days() >= PlantedContacts.MIN_DAYS
                ? new PlantedContacts(population, start) : null;
        this.truth = buildGroundTruth();
    }

    public CityConfig config() {
        return config;
    }

    public int persons() {
        return population.persons();
    }

    public Resident resident(int index) {
        return population.resident(index);
    }

    public GroundTruth groundTruth() {
        return truth;
    }

    /** Resident index of the planted case, or -1 when nothing is planted (see {@link PlantedContacts}). */
    public int plantedCase() {
        return planted == null ? -1 : planted.casePerson();
    }

    /** When the planted case was found (its positive single-tube sample), or -1 when nothing is planted. */
    public long plantedCaseFound() {
        return planted == null ? -1 : planted.found();
    }

    /** Produces every event of the run into {@code sink}, in event-time order; returns counts. Does not close the sink. */
    public CityStats run(CitySink sink) throws IOException, InterruptedException {
        return run(sink, line -> { });
    }

    /** As {@link #run(CitySink)}, reporting one progress line per simulated day. */
    public CityStats run(CitySink sink, Consumer<String> progress) throws IOException, InterruptedException {
        List<PeekingStream> streams = List.of(
                new PeekingStream(identities()),
                new PeekingStream(caseEvents().iterator()),
                new PeekingStream(routine()),
                new PeekingStream(pings()),
                new PeekingStream(planted == null ? List.<Timed>of().iterator() : planted.events().iterator()));
        Pacer pacer = new Pacer(config.speed(), start);
        SplittableRandom bad = new SplittableRandom(Mix.hash(config.seed(), T_BAD, 0, 0));
        long events = 0;
        long badRecords = 0;
        long nextDay = start + DAY;
        while (true) {
            PeekingStream next = null;
            for (PeekingStream s : streams) {
                // ties go to the earlier stream: identities, then case events, routine, pings
                if (s.peek() != null && (next == null || s.peek().time() < next.peek().time())) {
                    next = s;
                }
            }
            if (next == null) {
                break;
            }
            Timed t = next.next();
            while (t.time() >= nextDay) {
                progress.accept("simulated day " + ((nextDay - start) / DAY) + "/" + config.days() + " done, " + events + " events");
                nextDay += DAY;
            }
            pacer.await(t.time(), sink);
            sink.accept(t.feed(), t.event());
            events++;
            if (config.badRate() > 0 && bad.nextDouble() < config.badRate()) {
                emitBad(sink, t, bad.nextInt(4));
                badRecords++;
            }
        }
        sink.flush();
        return new CityStats(events, badRecords);
    }

    /** Counts of one run. */
    public record CityStats(long events, long badRecords) {}

    private static void emitBad(CitySink sink, Timed t, int kind) throws IOException {
        Event e = t.event();
        String id = e.getEventId() + "-bad";
        switch (kind) {
            case 0 -> sink.acceptGarbage(t.feed(), id);
            case 1 -> sink.accept(t.feed(), e.toBuilder().setEventId(id).clearTime().build());
            case 2 -> sink.accept(t.feed(), e.toBuilder().setEventId(id).setTime("2022-13-01T09:30:00+08:00").build());
            default -> sink.accept(t.feed(), e.toBuilder().setEventId(id).setType(e.getType() + "_v0").build());
        }
    }

    // ---- streams ----

    private Iterator<Timed> identities() {
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
                return timed(police(start, "id-" + i, i).setIdentity(Identity.newBuilder().setAreaCode(population.district(i).code()))
                        .setMsisdn(population.msisdn(i)), start, Feed.POLICE);
            }
        };
    }

    private Iterator<Timed> pings() {
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

    /** Routine activity, generated one hour at a time and sorted within the hour. */
    private Iterator<Timed> routine() {
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

    // ---- one resident's day ----

    /** A resident's plans for one simulated day, all drawn in a fixed order from (seed, person, day). */
    private record DayPlan(long dayStart, int venue, long venueIn, long venueOut, Route route, int row, int carriage,
                           long feverVisit, long antigenTest, long pooledTest, String tubeId) {}

    private DayPlan plan(int p, int day) {
        long dayStart = start + day * DAY;
        SplittableRandom r = new SplittableRandom(Mix.hash(config.seed(), T_PLAN, p, day));
        // with planted contacts on, a case stays in until found, so every venue and vehicle contact of a case is planted
        boolean staysIn = planted != null && foundAt.getOrDefault(p, Long.MIN_VALUE) > dayStart;
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
            pooled = dayStart + 7 * HOUR + Mix.below(Mix.hash(config.seed(), T_TUBE, block, day), 12 * 60) * MINUTE
                    + (p % Population.TUBE_SIZE) * 30_000L;
            tube = "G" + IsoTimes.formatDate(dayStart).replace("-", "") + "-" + block;
        }
        return new DayPlan(dayStart, goesOut ? venue : -1, venueIn, venueOut, travels ? route : null, row, carriage,
                fever ? feverTime : -1, antigen ? antigenTime : -1, pooled, tube);
    }

    private boolean isIsolated(int p, long time) {
        long[] span = isolated.get(p);
        return span != null && time >= span[0] && time < span[1];
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
            out.add(test(p, d.pooledTest(), "pool-" + day + "-" + p, "pcr", false, d.tubeId(), true));
        }
        if (d.antigenTest() >= from && d.antigenTest() < to) {
            out.add(test(p, d.antigenTest(), "ag-" + day + "-" + p, "antigen", false, null, false));
        }
        if (d.feverVisit() >= from && d.feverVisit() < to) {
            out.add(timed(health(d.feverVisit(), "fever-" + day + "-" + p, p)
                    .setFeverClinicVisit(FeverClinicVisit.newBuilder().setClinicId("FC" + population.district(p).code()))
                    , d.feverVisit(), Feed.HEALTH));
        }
        long feverTest = d.feverVisit() + 20 * MINUTE;
        if (d.feverVisit() >= 0 && feverTest >= from && feverTest < to) {
            out.add(test(p, feverTest, "fevertest-" + day + "-" + p, "pcr", false, "F" + date + "-" + p, false));
        }
        if (d.venue() >= 0) {
            String venueId = population.venueId(d.venue());
            String area = population.venueDistrict(d.venue()).code();
            for (long t : new long[] {d.venueIn(), d.venueOut()}) {
                if (t >= from && t < to) {
                    String dir = t == d.venueIn() ? "in" : "out";
                    out.add(timed(Event.newBuilder().setFeed("venue").setType("scan").setEventId("scan-" + day + "-" + p + "-" + dir)
                            .setTime(IsoTimes.format(t)).setRegion(REGION).setIdNumber(population.idNumber(p))
                            .setScan(Scan.newBuilder().setVenueId(venueId).setAreaCode(area).setDirection(dir))
                            , t, Feed.VENUE));
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
                out.add(trip(p, "trip-" + day + "-" + p + "-out", r, r.outVehicle() + "@" + date, d, home, r.destArea(), outDep, outArr));
            }
            if (backDep >= from && backDep < to) {
                out.add(trip(p, "trip-" + day + "-" + p + "-back", r, r.backVehicle() + "@" + date, d, r.destArea(), home, backDep, backArr));
                // the carrier reports the stay once it has ended
                out.add(timed(Event.newBuilder().setFeed("carrier").setType("city_stay").setEventId("stay-" + day + "-" + p)
                        .setTime(IsoTimes.format(backDep)).setRegion(REGION).setMsisdn("+86" + population.msisdn(p))
                        .setCityStay(CityStay.newBuilder().setAreaCode(r.destArea())
                                .setFrom(IsoTimes.format(outArr)).setTo(IsoTimes.format(backDep)))
                        , backDep, Feed.CARRIER));
            }
        }
    }

    private Timed trip(int p, String id, Route r, String vehicle, DayPlan d, String fromArea, String toArea, long dep, long arr) {
        Trip.Builder t = Trip.newBuilder().setMode(r.mode()).setVehicleId(vehicle).setSealed(r.sealed())
                .setFromArea(fromArea).setToArea(toArea).setDeparture(IsoTimes.format(dep)).setArrival(IsoTimes.format(arr));
        if (r.hasRows()) {
            t.setRow(d.row());
        }
        if (r.hasCarriages()) {
            t.setCarriage(Integer.toString(d.carriage()));
        }
        return timed(Event.newBuilder().setFeed("transport").setType("trip").setEventId(id).setTime(IsoTimes.format(dep))
                .setRegion(REGION).setIdNumber(population.idNumber(p)).setTrip(t), dep, Feed.TRANSPORT);
    }

    private Timed ping(int p, long time, long cycle) {
        int day = (int) ((time - start) / DAY);
        DayPlan d = plan(p, day);
        double[] pos;
        long sinceDay = time - d.dayStart();
        Route r = d.route();
        boolean free = !isIsolated(p, time);
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
        return timed(Event.newBuilder().setFeed("carrier").setType("ping").setEventId("ping-" + cycle + "-" + p)
                .setTime(IsoTimes.format(time)).setRegion(REGION).setMsisdn("+86" + population.msisdn(p))
                .setPing(Ping.newBuilder().setLat(lat).setLon(lon)), time, Feed.CARRIER);
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    // ---- infections ----

    private GroundTruth buildGroundTruth() {
        int n = Math.max(3, population.persons() / 2000);
        // the first case is found one hour in; the rest spread over the first days (all on day 1 in a one-day run)
        long span = (long) (Math.min(config.days(), 3) * DAY * 0.6);
        Set<Integer> casePersons = new LinkedHashSet<>();
        for (int k = 0, attempt = 0; casePersons.size() < n && attempt < n * 20; attempt++) {
            int p = Mix.below(Mix.hash(config.seed(), T_CASE, attempt, 0), population.persons());
            // cases go to work, so each has co-workers: degree-1 contacts whose households are degree 2
            if (population.workplace(p) >= 0 && casePersons.add(p)) {
                k++;
            }
        }
        Map<Integer, List<Integer>> coworkers = new HashMap<>();
        for (int p : casePersons) {
            if (population.workplace(p) >= 0) {
                coworkers.put(population.workplace(p), new ArrayList<>());
            }
        }
        for (int p = 0; p < population.persons(); p++) {
            List<Integer> list = coworkers.get(population.workplace(p));
            if (list != null && list.size() < 16 && !casePersons.contains(p)) {
                list.add(p);
            }
        }
        List<CaseRecord> cases = new ArrayList<>();
        List<ContactRecord> contacts = new ArrayList<>();
        String date = IsoTimes.formatDate(start).replace("-", "");
        int k = 0;
        for (int p : casePersons) {
            long t = start + HOUR + k * span / n;
            String caseId = String.format(java.util.Locale.ROOT, "GZ%s-%03d", date, k);
            boolean symptomatic = k % 3 != 2;
            List<Integer> tube = new ArrayList<>();
            if (k % 3 == 1) {
                int block = p / Population.TUBE_SIZE;
                for (int m = block * Population.TUBE_SIZE; m < Math.min(population.persons(), (block + 1) * Population.TUBE_SIZE); m++) {
                    tube.add(m);
                }
            }
            cases.add(new CaseRecord(k, caseId, p, symptomatic, symptomatic ? t - HOUR : -1, List.copyOf(tube),
                    tube.isEmpty() ? -1 : t - 3 * HOUR, t,
                    symptomatic ? DiagnosisStatus.CONFIRMED : DiagnosisStatus.ASYMPTOMATIC, t + 6 * HOUR, t + 10 * DAY));
            isolated.put(p, new long[] {t - 3 * HOUR, Long.MAX_VALUE});
            foundAt.put(p, t);
            // degree 1: the household (exposed until the case was isolated) and up to three co-workers
            List<Integer> first = new ArrayList<>();
            int h = population.household(p);
            for (int m = h * Population.HOUSEHOLD_SIZE; m < Math.min(population.persons(), (h + 1) * Population.HOUSEHOLD_SIZE); m++) {
                if (!casePersons.contains(m)) {
                    first.add(m);
                }
            }
            int householdSize = first.size();
            List<Integer> mates = coworkers.getOrDefault(population.workplace(p), List.of());
            for (int m : mates) {
                if (first.size() >= householdSize + 3) {
                    break;
                }
                if (!first.contains(m)) {
                    first.add(m);
                }
            }
            long designated = t + 10 * HOUR;
            for (int i = 0; i < first.size(); i++) {
                long exposure = i < householdSize ? t : t - 6 * HOUR;
                contacts.add(new ContactRecord(first.get(i), 1, k, caseId, exposure, designated + i * MINUTE));
            }
            // degree 2: the households of the co-workers
            int j = 0;
            for (int i = householdSize; i < first.size(); i++) {
                int ch = population.household(first.get(i));
                for (int m = ch * Population.HOUSEHOLD_SIZE; m < Math.min(population.persons(), (ch + 1) * Population.HOUSEHOLD_SIZE); m++) {
                    if (!casePersons.contains(m) && !first.contains(m) && m != p) {
                        contacts.add(new ContactRecord(m, 2, k, caseId, t - 6 * HOUR, t + 14 * HOUR + (j++) * MINUTE));
                    }
                }
            }
            k++;
        }
        for (ContactRecord c : contacts) {
            if (c.degree() == 1 && !casePersons.contains(c.person())) {
                isolated.merge(c.person(), new long[] {c.designated(), c.designated() + 7 * DAY},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        return new GroundTruth(List.copyOf(cases), List.copyOf(contacts), planted == null ? List.of() : planted.truth());
    }

    /** Every event of the cases and their contacts inside the run, sorted by time (a few per case: small). */
    private List<Timed> caseEvents() {
        List<Timed> out = new ArrayList<>();
        for (CaseRecord c : truth.cases()) {
            String k = "case" + c.caseNo();
            int p = c.person();
            if (c.symptomatic()) {
                out.add(timed(health(c.feverVisit(), k + "-fever", p)
                        .setFeverClinicVisit(FeverClinicVisit.newBuilder().setClinicId("FC" + population.district(p).code()))
                        , c.feverVisit(), Feed.HEALTH));
            }
            for (int j = 0; j < c.pooledTube().size(); j++) {
                int m = c.pooledTube().get(j);
                out.add(test(m, c.pooledSample() + j * 30_000L, k + "-pool-" + m, "pcr", true, "P-" + c.caseId(), true));
                if (m != p) {
                    out.add(test(m, c.positiveSample() + j * 30_000L, k + "-retest-" + m, "pcr", false,
                            "R-" + c.caseId() + "-" + j, false));
                }
            }
            out.add(test(p, c.positiveSample(), k + "-pcr", "pcr", true, "S-" + c.caseId(), false));
            Diagnosis.Builder dx = Diagnosis.newBuilder().setStatus(c.diagnosis().wireName());
            if (c.symptomatic()) {
                dx.setOnset(IsoTimes.formatDate(c.positiveSample() - DAY));
            }
            out.add(timed(health(c.diagnosed(), k + "-diagnosis", p).setDiagnosis(dx), c.diagnosed(), Feed.HEALTH));
            out.add(timed(health(c.discharged(), k + "-discharged", p)
                    .setDiagnosis(Diagnosis.newBuilder().setStatus(DiagnosisStatus.DISCHARGED.wireName()))
                    , c.discharged(), Feed.HEALTH));
            long after = c.discharged() + 28 * DAY + 2 * HOUR;
            out.add(test(p, after, k + "-after", "pcr", false, null, false));
        }
        for (ContactRecord c : truth.contacts()) {
            String k = "case" + c.caseNo() + "-c" + c.degree() + "-" + c.person();
            int p = c.person();
            out.add(timed(police(c.designated(), k, p).setContactDesignation(ContactDesignation.newBuilder()
                    .setDegree(c.degree()).setExposure(IsoTimes.format(c.exposure())).setCaseId(c.caseId()))
                    , c.designated(), Feed.POLICE));
            long[] tests;
            if (c.degree() == 1) {
                long qStart = c.designated() + 30 * MINUTE;
                long qEnd = c.designated() + 7 * DAY;
                out.add(timed(health(qStart, k + "-qstart", p).setQuarantine(Quarantine.newBuilder().setAction("start").setKind("central"))
                        , qStart, Feed.HEALTH));
                out.add(timed(health(qEnd, k + "-qend", p).setQuarantine(Quarantine.newBuilder().setAction("end").setKind("central"))
                        , qEnd, Feed.HEALTH));
                tests = new long[] {c.exposure() + DAY, c.exposure() + 4 * DAY, c.exposure() + 7 * DAY, c.exposure() + 10 * DAY + 2 * HOUR};
            } else {
                tests = new long[] {c.exposure() + 2 * DAY, c.exposure() + 7 * DAY + 2 * HOUR};
            }
            for (int i = 0; i < tests.length; i++) {
                long t = tests[i] + (c.designated() % HOUR);
                out.add(test(p, t, k + "-test" + i, "pcr", false, null, false));
            }
        }
        out.removeIf(t -> t.time() < start || t.time() >= end);
        out.sort(Comparator.comparingLong(Timed::time));
        return out;
    }

    // ---- event builders ----

    private Event.Builder health(long time, String id, int p) {
        return Event.newBuilder().setFeed("health").setEventId(id).setTime(IsoTimes.format(time)).setRegion(REGION)
                .setIdNumber(population.idNumber(p));
    }

    /** Builds the event with its {@code type} taken from the body that was set. */
    private static Timed timed(Event.Builder b, long time, Feed feed) {
        if (b.getType().isEmpty()) {
            b.setType(EventTrees.bodyType(b.build()));
        }
        return new Timed(time, feed, b.build());
    }

    private Event.Builder police(long time, String id, int p) {
        return Event.newBuilder().setFeed("police").setEventId(id).setTime(IsoTimes.format(time)).setRegion(REGION)
                .setIdNumber(population.idNumber(p));
    }

    private Timed test(int p, long time, String id, String method, boolean positive, String tube, boolean pooled) {
        TestResult.Builder b = TestResult.newBuilder().setMethod(method).setResult(positive ? "positive" : "negative").setPooled(pooled);
        if (tube != null) {
            b.setTubeId(tube);
        }
        return timed(health(time, id, p).setTestResult(b), time, Feed.HEALTH);
    }

    /** A merge input that can show its next element. */
    private static final class PeekingStream {
        private final Iterator<Timed> it;
        private Timed head;

        PeekingStream(Iterator<Timed> it) {
            this.it = it;
            this.head = it.hasNext() ? it.next() : null;
        }

        Timed peek() {
            return head;
        }

        Timed next() {
            Timed t = head;
            head = it.hasNext() ? it.next() : null;
            return t;
        }
    }
}
