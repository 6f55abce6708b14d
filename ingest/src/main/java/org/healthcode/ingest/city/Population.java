package org.healthcode.ingest.city;

import java.time.LocalDate;
import java.util.Locale;
import org.healthcode.ingest.pseudonym.IdNumbers;

/**
 * The residents, workplaces and venues of a city, each a pure function of (seed, index): nothing per person is
 * stored except the order in which phones ping within each half hour (4 bytes a person).
 *
 * <p>ID numbers and phone numbers are unique by construction (bijections of the index), not by chance.
 */
final class Population {
    static final int HOUSEHOLD_SIZE = 3;
    static final int TUBE_SIZE = 10;
    static final int PING_PERIOD_S = 1800;
    private static final int BIRTH_DAYS = 24_000;
    private static final long PHONE_SPACE = 1_000_000_000L;
    private static final long PHONE_MULTIPLIER = 387_420_489L; // 3^18, coprime with 10: a bijection mod 10^9
    private static final LocalDate BIRTH_EPOCH = LocalDate.of(1950, 1, 1);
    private static final long T_DISTRICT = 1,
            T_HOME = 2,
            T_JOB = 3,
            T_WORKPLACE = 4,
            T_PLACE = 5,
            T_PHASE = 6,
            T_PHONE = 7;

    private final long seed;
    private final int persons;
    private final int workplaces;
    private final int venues;
    private final int[] pingOrder;

    Population(long seed, int persons) {
        this.seed = seed;
        this.persons = persons;
        this.workplaces = Math.max(3, persons / 40);
        this.venues = Math.max(3, persons / 150);
        this.pingOrder = sortByPhase();
    }

    int persons() {
        return persons;
    }

    int venues() {
        return venues;
    }

    /** Residents in the order their phones ping within each half hour. */
    int[] pingOrder() {
        return pingOrder;
    }

    /** Seconds into each half hour at which this phone pings. */
    int phase(int p) {
        return Mix.below(Mix.hash(seed, T_PHASE, p, 0), PING_PERIOD_S);
    }

    int household(int p) {
        return p / HOUSEHOLD_SIZE;
    }

    Districts.District district(int p) {
        return Districts.ALL.get(Mix.below(Mix.hash(seed, T_DISTRICT, household(p), 0), Districts.ALL.size()));
    }

    int workplace(int p) {
        if (Mix.unit(Mix.hash(seed, T_JOB, p, 0)) >= 0.7) {
            return -1;
        }
        return Mix.below(Mix.hash(seed, T_WORKPLACE, p, 0), workplaces);
    }

    /** The 11-digit mobile number, as the police register it. */
    String msisdn(int p) {
        long n = Math.floorMod(
                p * PHONE_MULTIPLIER + Math.floorMod(Mix.hash(seed, T_PHONE, 0, 0), PHONE_SPACE), PHONE_SPACE);
        return String.format(Locale.ROOT, "13%09d", n);
    }

    String idNumber(int p) {
        int day = (int) Math.floorMod((long) (p % BIRTH_DAYS) * 7919L + Math.floorMod(seed, BIRTH_DAYS), BIRTH_DAYS);
        int sequence = p / BIRTH_DAYS;
        if (sequence > 999) {
            throw new IllegalStateException("too many residents for unique ID numbers");
        }
        return IdNumbers.of(district(p).code(), BIRTH_EPOCH.plusDays(day), sequence);
    }

    double[] home(int p) {
        return near(district(p), T_HOME, household(p));
    }

    double[] workplacePosition(int w) {
        return near(Districts.ALL.get(Mix.below(Mix.hash(seed, T_PLACE, w, 1), Districts.ALL.size())), T_PLACE, w);
    }

    double[] venuePosition(int v) {
        return near(venueDistrict(v), T_PLACE, -1 - v);
    }

    Districts.District venueDistrict(int v) {
        return Districts.ALL.get(Mix.below(Mix.hash(seed, T_PLACE, -1 - v, 1), Districts.ALL.size()));
    }

    String venueId(int v) {
        return "V" + venueDistrict(v).code() + "-" + v;
    }

    /** A position within about 3 km of the district's centre. */
    private double[] near(Districts.District d, long tag, long key) {
        long h = Mix.hash(seed, tag, key, 2);
        double dLat = (Mix.unit(h) - 0.5) * 0.06;
        double dLon = (Mix.unit(Mix.mix(h)) - 0.5) * 0.06;
        return new double[] {d.lat() + dLat, d.lon() + dLon};
    }

    Resident resident(int p) {
        double[] home = home(p);
        return new Resident(
                p, idNumber(p), msisdn(p), household(p), district(p).code(), home[0], home[1], workplace(p));
    }

    private int[] sortByPhase() {
        // counting sort by phase keeps index order within a phase: deterministic and linear
        int[] counts = new int[PING_PERIOD_S + 1];
        int[] phases = new int[persons];
        for (int p = 0; p < persons; p++) {
            phases[p] = phase(p);
            counts[phases[p] + 1]++;
        }
        for (int i = 1; i <= PING_PERIOD_S; i++) {
            counts[i] += counts[i - 1];
        }
        int[] order = new int[persons];
        for (int p = 0; p < persons; p++) {
            order[counts[phases[p]]++] = p;
        }
        return order;
    }
}
