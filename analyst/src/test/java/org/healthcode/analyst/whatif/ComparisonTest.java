package org.healthcode.analyst.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Colours at each day's end, per district and rule set; new reds by reason; the persons who differ. */
class ComparisonTest {
    private static final ZoneId CST = ZoneOffset.ofHours(8);
    private static final LocalDate APRIL_1 = LocalDate.of(2022, 4, 1);
    private static final LocalDate APRIL_3 = LocalDate.of(2022, 4, 3);

    private static Change change(String person, String time, String colour, String... reasons) {
        String red = colour.equals("red") ? reasons[0] : null;
        return new Change(person, Instant.parse(time).toEpochMilli(), colour, List.of(reasons), red);
    }

    @Test
    void aCompanionYellowOnlyUnderAShowsAsADifferenceUntilItEnds() {
        // alice: yellow (companion) under A on April 1 at 20:00 local, green again April 2 at 23:30 local
        List<Change> a = List.of(
                change("alice", "2022-04-01T12:00:00Z", "yellow", "companion"),
                change("alice", "2022-04-02T15:30:00Z", "green"),
                change("bob", "2022-04-02T01:00:00Z", "red", "positive_test"));
        List<Change> b = List.of(change("bob", "2022-04-02T01:00:00Z", "red", "positive_test"));
        Comparison c = Comparison.of(
                a,
                b,
                Set.of("alice", "bob", "carol"),
                Map.of("alice", "440106", "bob", "440106"),
                APRIL_1,
                APRIL_3,
                CST);

        assertThat(c.days()).containsExactly(APRIL_1, APRIL_1.plusDays(1), APRIL_3);
        assertThat(c.differences())
                .extracting(d -> d.day() + " " + d.personId() + " " + d.colourA() + "/" + d.colourB())
                .containsExactly("2022-04-01 alice yellow/green");
        assertThat(c.persons()).singleElement().satisfies(p -> {
            assertThat(p.personId()).isEqualTo("alice");
            assertThat(p.days()).containsExactly(APRIL_1);
            assertThat(p.b()).isEmpty();
        });
        assertThat(c.colours())
                .filteredOn(x -> x.day().equals(APRIL_1) && x.district().equals("440106"))
                .extracting(x -> x.key() + " " + x.a() + " " + x.b())
                .containsExactly("green 1 2", "yellow 1 0", "red 0 0");
        // carol has no binding and no change: green in the unknown district every day, under both
        assertThat(c.colours())
                .filteredOn(x -> x.district().equals(Comparison.UNKNOWN_DISTRICT)
                        && x.key().equals("green"))
                .extracting(x -> x.a() + "/" + x.b())
                .containsExactly("1/1", "1/1", "1/1");
        assertThat(c.newReds())
                .extracting(x -> x.day() + " " + x.key() + " " + x.a() + " " + x.b())
                .containsExactly("2022-04-02 positive_test 1 1");
        assertThat(c.reasons())
                .filteredOn(x -> x.key().equals("companion"))
                .extracting(x -> x.day() + " " + x.a() + " " + x.b())
                .containsExactly("2022-04-01 1 0");
    }

    @Test
    void personDaysPerColourAddUpToThePopulationEveryDay() {
        List<Change> a = List.of(change("alice", "2022-04-01T12:00:00Z", "red", "confirmed"));
        Comparison c = Comparison.of(a, List.of(), Set.of("alice", "bob"), Map.of(), APRIL_1, APRIL_3, CST);
        for (LocalDate day : c.days()) {
            long sumA = c.colours().stream()
                    .filter(x -> x.day().equals(day))
                    .mapToLong(Comparison.Count::a)
                    .sum();
            long sumB = c.colours().stream()
                    .filter(x -> x.day().equals(day))
                    .mapToLong(Comparison.Count::b)
                    .sum();
            assertThat(sumA).as("A on " + day).isEqualTo(2);
            assertThat(sumB).as("B on " + day).isEqualTo(2);
        }
    }
}
