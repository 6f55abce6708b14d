package org.healthcode.ingest.city;

import static org.healthcode.ingest.city.SyntheticCity.DAY;
import static org.healthcode.ingest.city.SyntheticCity.HOUR;
import static org.healthcode.ingest.city.SyntheticCity.MINUTE;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.proto.ContactDesignation;
import org.healthcode.ingest.proto.Diagnosis;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.Quarantine;

/**
 * The outbreak script: a few infections, the first within the first simulated hours, each with its fever visit,
 * pooled and single-tube positives, diagnosis, contact designations (degree 1 and 2) with quarantine and tests, and
 * discharge; and who it keeps from routine life (cases from their first positive sample, contacts in quarantine).
 */
final class Outbreak {
    private static final long T_CASE = 13;

    private final CityConfig config;
    private final Population population;
    private final long start;
    private final long end;
    private final CityEvents events;
    /** Residents kept from routine activity (cases from their first positive sample, contacts in quarantine): from, to. */
    private final Map<Integer, long[]> isolated = new HashMap<>();
    /** Cases' positive samples by resident; with planted contacts on, cases stay in (no venue, no trip) until then. */
    private final Map<Integer, Long> foundAt = new HashMap<>();

    private final GroundTruth truth;

    Outbreak(
            CityConfig config,
            Population population,
            long start,
            long end,
            PlantedContacts planted,
            CityEvents events) {
        this.config = config;
        this.population = population;
        this.start = start;
        this.end = end;
        this.events = events;
        this.truth = buildGroundTruth(planted);
    }

    GroundTruth truth() {
        return truth;
    }

    /** Whether resident {@code p} is kept from routine life at {@code time}. */
    boolean isIsolated(int p, long time) {
        long[] span = isolated.get(p);
        return span != null && time >= span[0] && time < span[1];
    }

    /** When case {@code p} was found (its positive sample), or {@code Long.MIN_VALUE} when {@code p} is no case. */
    long foundAt(int p) {
        return foundAt.getOrDefault(p, Long.MIN_VALUE);
    }

    private GroundTruth buildGroundTruth(PlantedContacts planted) {
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
                for (int m = block * Population.TUBE_SIZE;
                        m < Math.min(population.persons(), (block + 1) * Population.TUBE_SIZE);
                        m++) {
                    tube.add(m);
                }
            }
            cases.add(new CaseRecord(
                    k,
                    caseId,
                    p,
                    symptomatic,
                    symptomatic ? t - HOUR : -1,
                    List.copyOf(tube),
                    tube.isEmpty() ? -1 : t - 3 * HOUR,
                    t,
                    symptomatic ? DiagnosisStatus.CONFIRMED : DiagnosisStatus.ASYMPTOMATIC,
                    t + 6 * HOUR,
                    t + 10 * DAY));
            isolated.put(p, new long[] {t - 3 * HOUR, Long.MAX_VALUE});
            foundAt.put(p, t);
            // degree 1: the household (exposed until the case was isolated) and up to three co-workers
            List<Integer> first = new ArrayList<>();
            int h = population.household(p);
            for (int m = h * Population.HOUSEHOLD_SIZE;
                    m < Math.min(population.persons(), (h + 1) * Population.HOUSEHOLD_SIZE);
                    m++) {
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
                for (int m = ch * Population.HOUSEHOLD_SIZE;
                        m < Math.min(population.persons(), (ch + 1) * Population.HOUSEHOLD_SIZE);
                        m++) {
                    if (!casePersons.contains(m) && !first.contains(m) && m != p) {
                        contacts.add(new ContactRecord(m, 2, k, caseId, t - 6 * HOUR, t + 14 * HOUR + (j++) * MINUTE));
                    }
                }
            }
            k++;
        }
        for (ContactRecord c : contacts) {
            if (c.degree() == 1 && !casePersons.contains(c.person())) {
                isolated.merge(c.person(), new long[] {c.designated(), c.designated() + 7 * DAY}, (a, b) ->
                        new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        return new GroundTruth(
                List.copyOf(cases), List.copyOf(contacts), planted == null ? List.of() : planted.truth());
    }

    /** Every event of the cases and their contacts inside the run, sorted by time (a few per case: small). */
    List<Timed> caseEvents() {
        List<Timed> out = new ArrayList<>();
        for (CaseRecord c : truth.cases()) {
            String k = "case" + c.caseNo();
            int p = c.person();
            if (c.symptomatic()) {
                out.add(CityEvents.timed(
                        events.health(c.feverVisit(), k + "-fever", p)
                                .setFeverClinicVisit(FeverClinicVisit.newBuilder()
                                        .setClinicId(
                                                "FC" + population.district(p).code())),
                        c.feverVisit(),
                        Feed.HEALTH));
            }
            for (int j = 0; j < c.pooledTube().size(); j++) {
                int m = c.pooledTube().get(j);
                out.add(events.test(
                        m, c.pooledSample() + j * 30_000L, k + "-pool-" + m, "pcr", true, "P-" + c.caseId(), true));
                if (m != p) {
                    out.add(events.test(
                            m,
                            c.positiveSample() + j * 30_000L,
                            k + "-retest-" + m,
                            "pcr",
                            false,
                            "R-" + c.caseId() + "-" + j,
                            false));
                }
            }
            out.add(events.test(p, c.positiveSample(), k + "-pcr", "pcr", true, "S-" + c.caseId(), false));
            Diagnosis.Builder dx =
                    Diagnosis.newBuilder().setStatus(c.diagnosis().wireName());
            if (c.symptomatic()) {
                dx.setOnset(IsoTimes.formatDate(c.positiveSample() - DAY));
            }
            out.add(CityEvents.timed(
                    events.health(c.diagnosed(), k + "-diagnosis", p).setDiagnosis(dx), c.diagnosed(), Feed.HEALTH));
            out.add(CityEvents.timed(
                    events.health(c.discharged(), k + "-discharged", p)
                            .setDiagnosis(Diagnosis.newBuilder().setStatus(DiagnosisStatus.DISCHARGED.wireName())),
                    c.discharged(),
                    Feed.HEALTH));
            long after = c.discharged() + 28 * DAY + 2 * HOUR;
            out.add(events.test(p, after, k + "-after", "pcr", false, null, false));
        }
        for (ContactRecord c : truth.contacts()) {
            String k = "case" + c.caseNo() + "-c" + c.degree() + "-" + c.person();
            int p = c.person();
            out.add(CityEvents.timed(
                    events.police(c.designated(), k, p)
                            .setContactDesignation(ContactDesignation.newBuilder()
                                    .setDegree(c.degree())
                                    .setExposure(IsoTimes.format(c.exposure()))
                                    .setCaseId(c.caseId())),
                    c.designated(),
                    Feed.POLICE));
            long[] tests;
            if (c.degree() == 1) {
                long qStart = c.designated() + 30 * MINUTE;
                long qEnd = c.designated() + 7 * DAY;
                out.add(CityEvents.timed(
                        events.health(qStart, k + "-qstart", p)
                                .setQuarantine(Quarantine.newBuilder()
                                        .setAction("start")
                                        .setKind("central")),
                        qStart,
                        Feed.HEALTH));
                out.add(CityEvents.timed(
                        events.health(qEnd, k + "-qend", p)
                                .setQuarantine(
                                        Quarantine.newBuilder().setAction("end").setKind("central")),
                        qEnd,
                        Feed.HEALTH));
                tests = new long[] {
                    c.exposure() + DAY,
                    c.exposure() + 4 * DAY,
                    c.exposure() + 7 * DAY,
                    c.exposure() + 10 * DAY + 2 * HOUR
                };
            } else {
                tests = new long[] {c.exposure() + 2 * DAY, c.exposure() + 7 * DAY + 2 * HOUR};
            }
            for (int i = 0; i < tests.length; i++) {
                long t = tests[i] + (c.designated() % HOUR);
                out.add(events.test(p, t, k + "-test" + i, "pcr", false, null, false));
            }
        }
        out.removeIf(t -> t.time() < start || t.time() >= end);
        out.sort(Comparator.comparingLong(Timed::time));
        return out;
    }
}
