package org.healthcode.ingest.city;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.healthcode.ingest.proto.Event;

/**
 * A seeded, deterministic synthetic Guangzhou: residents with ID numbers, phones and households ({@link Population});
 * their routine life ({@link RoutineLife}: identity bindings, venue scans, day trips, routine tests, fever-clinic
 * visits); a phone ping every 30 min ({@link Pings}); the outbreak script ({@link Outbreak}: a few infections with their
 * tests, diagnoses, contacts and quarantines); and, unless turned off, a small planted outbreak with known companions,
 * co-visitors, co-passengers and near-misses ({@link PlantedContacts}, in {@link GroundTruth#planted()}).
 *
 * <p>Streaming: events are produced per hour (routine activity) and per half hour (pings) and merged in event-time
 * order, so memory does not grow with the number of events; 1 M residents need about 10 MB besides a few
 * hundred thousand events of one hour. Same configuration, same bytes: everything is a function of the seed.
 */
public final class SyntheticCity {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    private static final long T_BAD = 15;

    private final CityConfig config;
    private final Population population;
    private final long start;
    private final long end;
    /** The planted outbreak, or null when planting is off or the run is too short for it. */
    private final PlantedContacts planted;

    private final Outbreak outbreak;
    private final RoutineLife life;
    private final Pings pings;

    public SyntheticCity(CityConfig config) {
        this.config = config.validate();
        this.population = new Population(config.seed(), config.persons());
        this.start = config.start().toEpochMilli();
        this.end = start + config.days() * DAY;
        this.planted = config.plantContacts() && config.days() >= PlantedContacts.MIN_DAYS
                ? new PlantedContacts(population, start)
                : null;
        CityEvents events = new CityEvents(population);
        this.outbreak = new Outbreak(this.config, population, start, end, planted, events);
        this.life = new RoutineLife(this.config, population, start, end, outbreak, planted != null, events);
        this.pings = new Pings(this.config, population, start, end, life);
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
        return outbreak.truth();
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
        return run(sink, line -> {});
    }

    /** As {@link #run(CitySink)}, reporting one progress line per simulated day. */
    public CityStats run(CitySink sink, Consumer<String> progress) throws IOException, InterruptedException {
        List<PeekingStream> streams = List.of(
                new PeekingStream(life.identities()),
                new PeekingStream(outbreak.caseEvents().iterator()),
                new PeekingStream(life.routine()),
                new PeekingStream(pings.pings()),
                new PeekingStream(
                        planted == null
                                ? List.<Timed>of().iterator()
                                : planted.events().iterator()));
        Pacer pacer = new Pacer(config.speed(), start);
        SplittableRandom bad = new SplittableRandom(Mix.hash(config.seed(), T_BAD, 0, 0));
        long events = 0;
        long badRecords = 0;
        long nextDay = start + DAY;
        while (true) {
            PeekingStream next = null;
            for (PeekingStream s : streams) {
                // ties go to the earlier stream: identities, then case events, routine, pings
                if (s.peek() != null
                        && (next == null || s.peek().time() < next.peek().time())) {
                    next = s;
                }
            }
            if (next == null) {
                break;
            }
            Timed t = next.next();
            while (t.time() >= nextDay) {
                progress.accept("simulated day " + ((nextDay - start) / DAY) + "/" + config.days() + " done, " + events
                        + " events");
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
            case 1 ->
                sink.accept(t.feed(), e.toBuilder().setEventId(id).clearTime().build());
            case 2 ->
                sink.accept(
                        t.feed(),
                        e.toBuilder()
                                .setEventId(id)
                                .setTime("2022-13-01T09:30:00+08:00")
                                .build());
            default ->
                sink.accept(
                        t.feed(),
                        e.toBuilder()
                                .setEventId(id)
                                .setType(e.getType() + "_v0")
                                .build());
        }
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
