package org.healthcode.risk.contacts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.EventType;
import org.healthcode.risk.testing.Fixtures;

/** Domain fixtures for contact detection: phones, cells, pings, bindings, scans, trips and place activities. */
final class ContactFixtures {

    static final ContactRules RULES = ContactRules.defaults();
    static final GridProjection GRID = GridProjection.of(RULES);

    static final String CAROL = "carol";
    static final String DAVE = "dave";
    static final String ALICE_PHONE = "phone-alice";
    static final String BOB_PHONE = "phone-bob";
    static final String CAROL_PHONE = "phone-carol";

    /** Cell (10, 20) and its east neighbour. */
    static final String HOME_CELL = GridProjection.cellId(10, 20);

    static final String NEXT_CELL = GridProjection.cellId(11, 20);

    private ContactFixtures() {}

    static Instant plusMinutes(Instant t, long minutes) {
        return t.plus(Duration.ofMinutes(minutes));
    }

    static long ms(Instant t) {
        return t.toEpochMilli();
    }

    /** A ping in the middle of cell (i, j) of the default grid. */
    static Event ping(String msisdn, Instant t, long i, long j) {
        double size = RULES.cellSizeMeters();
        return pingAt(msisdn, t, GRID.latAt((j + 0.5) * size), GRID.lonAt((i + 0.5) * size));
    }

    static Event pingAt(String msisdn, Instant t, double lat, double lon) {
        return Event.builder("ping:" + msisdn + "@" + t, EventType.PING, ms(t), Fixtures.REGION)
                .msisdn(msisdn)
                .lat(lat)
                .lon(lon)
                .build();
    }

    /** Pings of one phone in cell (i, j) every {@code everyMinutes} from {@code from} to {@code to} inclusive. */
    static List<Event> pingsInCell(String msisdn, Instant from, Instant to, long everyMinutes, long i, long j) {
        List<Event> pings = new ArrayList<>();
        for (Instant t = from; !t.isAfter(to); t = plusMinutes(t, everyMinutes)) {
            pings.add(ping(msisdn, t, i, j));
        }
        if (!pings.isEmpty() && ms(pings.get(pings.size() - 1)) < ms(to)) {
            pings.add(ping(msisdn, to, i, j));
        }
        return pings;
    }

    static long ms(Event e) {
        return e.time();
    }

    static Event bind(String msisdn, String person, Instant t) {
        return Event.builder("identity:" + msisdn + ":" + person + "@" + t, EventType.IDENTITY, ms(t), Fixtures.REGION)
                .msisdn(msisdn)
                .personId(person)
                .areaCode("440106")
                .build();
    }

    static Event scan(String person, String venue, Instant t) {
        return Event.builder("scan:" + person + ":" + venue + "@" + t, EventType.SCAN, ms(t), Fixtures.REGION)
                .personId(person)
                .venueId(venue)
                .areaCode("440106")
                .direction("in")
                .build();
    }

    static Event trip(
            String person,
            String mode,
            String vehicle,
            Boolean sealed,
            String carriage,
            Integer row,
            Instant departure,
            Instant arrival) {
        return Event.builder("trip:" + person + ":" + vehicle, EventType.TRIP, ms(departure), Fixtures.REGION)
                .personId(person)
                .mode(mode)
                .vehicleId(vehicle)
                .sealed(sealed)
                .carriage(carriage)
                .row(row)
                .fromArea("440100")
                .toArea("110100")
                .departure(ms(departure))
                .arrival(ms(arrival))
                .build();
    }

    static Event flight(String person, int row, Instant departure, Instant arrival) {
        return trip(person, "flight", "CZ3101@2022-04-01", null, null, row, departure, arrival);
    }

    /** An ordinary (not a case copy) stay activity as the person index forwards it to a cell. */
    static PersonActivity stay(String person, String msisdn, String cell, Instant from, Instant to) {
        return new PersonActivity(
                ActivityKind.STAY,
                person,
                cell,
                msisdn,
                ms(from),
                ms(to),
                "ping:" + msisdn + "@" + from,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The case's own stay marked with its found time, as the person index forwards it. */
    static PersonActivity caseStay(String caseId, String msisdn, String cell, Instant from, Instant to, Instant found) {
        CaseFound c = new CaseFound(caseId, ms(found), null, ms(found), "test+:" + caseId);
        return stay(caseId, msisdn, cell, from, to).asCaseCopy(c, ms(found) - RULES.lookBackMillis());
    }
}
