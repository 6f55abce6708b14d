package org.healthcode.analyst.whatif;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two replays of one archive under rule sets A and B, compared at each day's end (local midnight in the archive's
 * zone): persons per colour, persons per active reason, new reds per reason, and each person whose colour differs,
 * by district (the area code's prefix) and day. Pure: no files, no Flink.
 */
public final class Comparison {
    /** The colours in the order of every table. */
    public static final List<String> COLOURS = List.of("green", "yellow", "red");
    /** District of a person without an identity binding in the archive. */
    public static final String UNKNOWN_DISTRICT = "unknown";

    /** Persons at a day's end under A and B, for one day, district and key (a colour or a reason). */
    public record Count(LocalDate day, String district, String key, long a, long b) {}

    /** A person whose colour at a day's end differs between A and B. */
    public record Difference(
            LocalDate day,
            String district,
            String personId,
            String colourA,
            String colourB,
            List<String> reasonsA,
            List<String> reasonsB) {}

    /** A person who differs on at least one day, with both timelines. */
    public record PersonDiff(String personId, String district, List<LocalDate> days, List<Change> a, List<Change> b) {}

    private final List<LocalDate> days;
    private final List<Count> colours;
    private final List<Count> reasons;
    private final List<Count> newReds;
    private final List<Difference> differences;
    private final List<PersonDiff> persons;

    private Comparison(
            List<LocalDate> days,
            List<Count> colours,
            List<Count> reasons,
            List<Count> newReds,
            List<Difference> differences,
            List<PersonDiff> persons) {
        this.days = days;
        this.colours = colours;
        this.reasons = reasons;
        this.newReds = newReds;
        this.differences = differences;
        this.persons = persons;
    }

    /**
     * @param a the changelog under A (any order within a person is fine if effective times rise with seq)
     * @param b the changelog under B
     * @param population every person of the archive (persons without a change are green all along)
     * @param districtOf district of each person with an identity binding
     * @param first first day compared
     * @param last last day compared
     * @param zone where days end
     */
    public static Comparison of(
            List<Change> a,
            List<Change> b,
            Collection<String> population,
            Map<String, String> districtOf,
            LocalDate first,
            LocalDate last,
            ZoneId zone) {
        List<LocalDate> days = first.datesUntil(last.plusDays(1)).toList();
        long[] ends = new long[days.size()];
        for (int i = 0; i < days.size(); i++) {
            ends[i] = days.get(i).plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        Map<String, List<Change>> byPersonA = byPerson(a);
        Map<String, List<Change>> byPersonB = byPerson(b);
        Set<String> everyone = new TreeSet<>(population);
        everyone.addAll(byPersonA.keySet());
        everyone.addAll(byPersonB.keySet());

        Map<String, long[]> colourCounts = new TreeMap<>();
        Map<String, long[]> reasonCounts = new TreeMap<>();
        Map<String, long[]> newRedCounts = new TreeMap<>();
        Map<String, Long> greenAllAlong = new TreeMap<>();
        List<Difference> differences = new ArrayList<>();
        List<PersonDiff> persons = new ArrayList<>();
        for (String person : everyone) {
            String district = districtOf.getOrDefault(person, UNKNOWN_DISTRICT);
            List<Change> ta = byPersonA.getOrDefault(person, List.of());
            List<Change> tb = byPersonB.getOrDefault(person, List.of());
            if (ta.isEmpty() && tb.isEmpty()) {
                greenAllAlong.merge(district, 1L, Long::sum);
                continue;
            }
            Change[] atA = atDayEnds(ta, ends);
            Change[] atB = atDayEnds(tb, ends);
            List<LocalDate> differing = new ArrayList<>();
            for (int d = 0; d < days.size(); d++) {
                String ca = colourOf(atA[d]);
                String cb = colourOf(atB[d]);
                add(colourCounts, key(days.get(d), district, ca), 0);
                add(colourCounts, key(days.get(d), district, cb), 1);
                for (String r : reasonsOf(atA[d])) {
                    add(reasonCounts, key(days.get(d), district, r), 0);
                }
                for (String r : reasonsOf(atB[d])) {
                    add(reasonCounts, key(days.get(d), district, r), 1);
                }
                if (!ca.equals(cb)) {
                    differing.add(days.get(d));
                    differences.add(new Difference(
                            days.get(d), district, person, ca, cb, reasonsOf(atA[d]), reasonsOf(atB[d])));
                }
            }
            countNewReds(ta, zone, district, first, last, newRedCounts, 0);
            countNewReds(tb, zone, district, first, last, newRedCounts, 1);
            if (!differing.isEmpty()) {
                persons.add(new PersonDiff(person, district, List.copyOf(differing), ta, tb));
            }
        }
        for (Map.Entry<String, Long> e : greenAllAlong.entrySet()) {
            for (LocalDate day : days) {
                long[] c = colourCounts.computeIfAbsent(key(day, e.getKey(), "green"), k -> new long[2]);
                c[0] += e.getValue();
                c[1] += e.getValue();
            }
        }
        differences.sort(java.util.Comparator.comparing(Difference::day)
                .thenComparing(Difference::district)
                .thenComparing(Difference::personId));
        return new Comparison(
                days,
                counts(colourCounts, true),
                counts(reasonCounts, false),
                counts(newRedCounts, false),
                List.copyOf(differences),
                List.copyOf(persons));
    }

    public List<LocalDate> days() {
        return days;
    }

    /** Persons per colour at each day's end, by district (every colour, zeros included); sums are person-days. */
    public List<Count> colours() {
        return colours;
    }

    /** Persons with an active condition of each reason at each day's end, by district. */
    public List<Count> reasons() {
        return reasons;
    }

    /** Persons who turned red during each day, by district and the reason of their red condition. */
    public List<Count> newReds() {
        return newReds;
    }

    public List<Difference> differences() {
        return differences;
    }

    /** Each person who differs on at least one day, by person id. */
    public List<PersonDiff> persons() {
        return persons;
    }

    private static Map<String, List<Change>> byPerson(List<Change> changes) {
        Map<String, List<Change>> m = new TreeMap<>();
        for (Change c : changes) {
            m.computeIfAbsent(c.personId(), k -> new ArrayList<>()).add(c);
        }
        m.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(Change::effective)));
        return m;
    }

    /** The change in force at each day's end (exclusive), or null before the first. */
    private static Change[] atDayEnds(List<Change> timeline, long[] ends) {
        Change[] out = new Change[ends.length];
        int i = 0;
        Change current = null;
        for (int d = 0; d < ends.length; d++) {
            while (i < timeline.size() && timeline.get(i).effective() < ends[d]) {
                current = timeline.get(i++);
            }
            out[d] = current;
        }
        return out;
    }

    private static void countNewReds(
            List<Change> timeline,
            ZoneId zone,
            String district,
            LocalDate first,
            LocalDate last,
            Map<String, long[]> counts,
            int side) {
        String previous = "green";
        for (Change c : timeline) {
            if (c.colour().equals("red") && !previous.equals("red")) {
                LocalDate day = java.time.Instant.ofEpochMilli(c.effective())
                        .atZone(zone)
                        .toLocalDate();
                if (!day.isBefore(first) && !day.isAfter(last)) {
                    add(counts, key(day, district, c.redReason()), side);
                }
            }
            previous = c.colour();
        }
    }

    private static String colourOf(Change c) {
        return c == null ? "green" : c.colour();
    }

    private static List<String> reasonsOf(Change c) {
        return c == null ? List.of() : c.reasons().stream().distinct().toList();
    }

    private static String key(LocalDate day, String district, String k) {
        return day + "\t" + district + "\t" + k;
    }

    private static void add(Map<String, long[]> counts, String key, int side) {
        counts.computeIfAbsent(key, k -> new long[2])[side]++;
    }

    /** Rows sorted by day, district, then key (colours in {@link #COLOURS} order); every colour when asked. */
    private static List<Count> counts(Map<String, long[]> m, boolean everyColour) {
        if (everyColour) {
            Set<String> dayDistricts = new TreeSet<>();
            for (String k : m.keySet()) {
                dayDistricts.add(k.substring(0, k.lastIndexOf('\t')));
            }
            for (String dd : dayDistricts) {
                for (String colour : COLOURS) {
                    m.computeIfAbsent(dd + "\t" + colour, k -> new long[2]);
                }
            }
        }
        List<Count> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : m.entrySet()) {
            String[] f = e.getKey().split("\t", 3);
            out.add(new Count(LocalDate.parse(f[0]), f[1], f[2], e.getValue()[0], e.getValue()[1]));
        }
        out.sort(java.util.Comparator.comparing(Count::day)
                .thenComparing(Count::district)
                .thenComparing(c -> everyColour ? String.valueOf(COLOURS.indexOf(c.key())) : c.key()));
        return List.copyOf(out);
    }
}
