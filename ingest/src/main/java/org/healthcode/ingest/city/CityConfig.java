package org.healthcode.ingest.city;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What city to simulate: size, length, seed, the first simulated instant, pacing and the share of bad records.
 *
 * @param persons residents, 1 000 to 1 000 000 (smaller works for tests)
 * @param days simulated days
 * @param seed same seed and size give byte-identical output
 * @param start first simulated instant; days count from it (default: {@link #DEFAULT_START})
 * @param speed simulated time per real time (3600 = one simulated hour per second); 0 = as fast as possible
 * @param badRate share of extra malformed records sprinkled in after real ones (0 = none), so the rejected path shows
 * @param plantContacts plant a small scripted outbreak with known companions, venue co-visitors, co-passengers and
 *     near-misses ({@link PlantedContacts}; needs at least 2 days); default on
 */
public record CityConfig(
        int persons, int days, long seed, Instant start, double speed, double badRate, boolean plantContacts) {
    public static final Instant DEFAULT_START =
            OffsetDateTime.parse("2022-04-01T00:00:00+08:00").toInstant();
    public static final int MAX_PERSONS = 10_000_000;

    /** A configuration with the planted contacts on (the default). */
    public CityConfig(int persons, int days, long seed, Instant start, double speed, double badRate) {
        this(persons, days, seed, start, speed, badRate, true);
    }

    public static CityConfig of(int persons, int days, long seed) {
        return new CityConfig(persons, days, seed, DEFAULT_START, 0, 0);
    }

    public CityConfig withPlantContacts(boolean plant) {
        return new CityConfig(persons, days, seed, start, speed, badRate, plant);
    }

    public CityConfig withStart(Instant s) {
        return new CityConfig(persons, days, seed, s, speed, badRate, plantContacts);
    }

    public CityConfig withSpeed(double s) {
        return new CityConfig(persons, days, seed, start, s, badRate, plantContacts);
    }

    public CityConfig withBadRate(double r) {
        return new CityConfig(persons, days, seed, start, speed, r, plantContacts);
    }

    /** Every problem at once; empty when the configuration can run. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (persons < 10 || persons > MAX_PERSONS) {
            p.add("persons must be 10.." + MAX_PERSONS + ", got " + persons);
        }
        if (days < 1 || days > 366) {
            p.add("days must be 1..366, got " + days);
        }
        if (start == null) {
            p.add("start is required");
        }
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            p.add("speed must be >= 0 (0 = as fast as possible), got " + speed);
        }
        if (!(badRate >= 0 && badRate <= 1)) {
            p.add("bad-rate must be 0..1, got " + badRate);
        }
        return p;
    }

    public CityConfig validate() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("bad city configuration: " + String.join("; ", p));
        }
        return this;
    }
}
