package org.healthcode.risk.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.healthcode.risk.testing.Fixtures.MONDAY_9AM;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.healthcode.ingest.events.DiagnosisStatus;
import org.healthcode.ingest.events.Event;
import org.healthcode.risk.events.ConditionView;
import org.healthcode.risk.events.StatusChange;
import org.healthcode.risk.rules.Colour;
import org.healthcode.risk.testing.Fixtures;
import org.healthcode.risk.testing.PersonRiskHarness;

/**
 * Over random event sequences of one person: the colour is always the most severe active condition (never green
 * while a red condition is active), every status has a reason for a non-green colour, seq rises by one, and the
 * same events in another arrival order give the same statuses.
 */
class ColourPropertiesTest {
    private static final String P = "pat";

    @Provide
    Arbitrary<List<Event>> histories() {
        Arbitrary<Integer> hour = Arbitraries.integers().between(0, 24 * 40);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 10);
        Arbitrary<Event> event = Combinators.combine(
                        kind, hour, Arbitraries.integers().between(0, 24 * 5))
                .as((k, h, back) -> event(k, MONDAY_9AM.plusSeconds(3600L * h), back));
        // event ids are unique per source (DESIGN §5); copies with one id and different content are not valid input
        return event.list().ofMinSize(1).ofMaxSize(14).uniqueElements(Event::eventId);
    }

    private static Event event(int kind, Instant t, int backHours) {
        return switch (kind) {
            case 0 -> Fixtures.positivePcr(P, t);
            case 1, 2, 3 -> Fixtures.negativePcr(P, t);
            case 4 -> Fixtures.positivePooled(P, t);
            case 5 -> Fixtures.diagnosis(P, DiagnosisStatus.values()[backHours % DiagnosisStatus.values().length], t);
            case 6 -> Fixtures.discharged(P, t);
            case 7 -> Fixtures.feverClinicVisit(P, t);
            case 8 -> Fixtures.closeContact(P, t.minusSeconds(3600L * backHours), t);
            case 9 -> Fixtures.designation(P, 2, t.minusSeconds(3600L * backHours), t);
            default -> Fixtures.borderEntry(P, t);
        };
    }

    private static List<StatusChange> run(List<Event> events) throws Exception {
        try (PersonRiskHarness h = new PersonRiskHarness()) {
            for (Event e : events) {
                h.send(e);
            }
            h.advanceTo(MONDAY_9AM.plusSeconds(3600L * 24 * 120));
            return h.statuses();
        }
    }

    @Property(tries = 150)
    void colourIsTheMostSevereActiveConditionAndArrivalOrderDoesNotMatter(@ForAll("histories") List<Event> events)
            throws Exception {
        List<StatusChange> statuses = run(events);
        long seq = 0;
        for (StatusChange s : statuses) {
            assertThat(s.seq()).isEqualTo(++seq);
            Colour worst = Colour.GREEN;
            for (ConditionView c : s.conditions()) {
                Colour cc = Colour.fromWire(c.colour());
                worst = cc.moreSevereThan(worst) ? cc : worst;
                assertThat(c.reason()).isNotBlank();
            }
            assertThat(s.colour()).isEqualTo(worst.wireName());
            if (!s.colour().equals("green")) {
                assertThat(s.conditions()).isNotEmpty();
            }
        }
        List<Event> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(events.size()));
        assertThat(run(shuffled)).isEqualTo(statuses);
    }
}
