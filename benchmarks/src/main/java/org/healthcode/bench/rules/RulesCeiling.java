package org.healthcode.bench.rules;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.healthcode.risk.rules.Assessment;
import org.healthcode.risk.rules.RiskEngine;
import org.healthcode.risk.rules.RuleSet;
import org.healthcode.risk.state.ConditionState;
import org.healthcode.risk.state.PersonState;

/**
 * The ceiling for the pipeline: the job's per-event work (decode the Protobuf value, pseudonymise, apply the rules
 * to the person's conditions, assess, emit on change) as a plain single-threaded loop over a HashMap, without Kafka,
 * Flink, serialisation, state backend or checkpoints. Uses risk-model's own {@link RiskEngine}, so the rules are the
 * job's, not a copy.
 *
 * <p>The synthetic city is generated in chunks into memory and only the processing of each chunk is timed, so the
 * generator's cost is not counted and memory stays bounded. Differences from the job, on purpose: no duplicate
 * filter (the job keeps every event id for 7 days), no event-time buffering (the city is already in time order), no
 * timers (phase ends are applied when the person's next event comes).
 */
public final class RulesCeiling {
    private static final int CHUNK = 250_000;

    /** Counts and time of one run. */
    public record Outcome(
            long events,
            long rejected,
            long withoutPerson,
            long personEvents,
            long statusChanges,
            long personsWithState,
            double decodeAndRulesSeconds,
            double rulesOnlySeconds) {
        public double eventsPerSecond() {
            return events / decodeAndRulesSeconds;
        }

        public double rulesOnlyEventsPerSecond() {
            return events / rulesOnlySeconds;
        }
    }

    private final RuleSet rules = RuleSet.defaults();
    private final RiskEngine engine = new RiskEngine(rules);
    private final StandardEventDecoder decoder;
    private final Map<String, PersonState> states = new HashMap<>();
    private long events;
    private long rejected;
    private long withoutPerson;
    private long personEvents;
    private long statusChanges;
    private long decodeNanos;
    private long rulesNanos;

    public RulesCeiling(byte[] regionSecret) {
        this.decoder = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(regionSecret)));
    }

    /** Runs the city of {@code persons} persons over {@code days} days through the loop. */
    public static Outcome run(int persons, int days, long seed) throws IOException, InterruptedException {
        return run(CityConfig.of(persons, days, seed));
    }

    /** Runs the city of {@code config} through the loop. */
    public static Outcome run(CityConfig config) throws IOException, InterruptedException {
        return run(config, java.util.function.UnaryOperator.identity());
    }

    /** Runs the city of {@code config} through the loop, its events passed through {@code filter} first. */
    public static Outcome run(CityConfig config, java.util.function.UnaryOperator<CitySink> filter)
            throws IOException, InterruptedException {
        byte[] secret = new byte[RegionSecret.MIN_BYTES];
        new java.util.SplittableRandom(config.seed()).nextBytes(secret);
        RulesCeiling loop = new RulesCeiling(secret);
        SyntheticCity city = new SyntheticCity(config);
        Chunker sink = new Chunker(loop);
        city.run(filter.apply(sink));
        sink.flush();
        return loop.outcome();
    }

    /** Decodes every value of the chunk (timed), then applies the rules to the decoded events (timed apart). */
    void process(List<Feed> feeds, List<byte[]> values) {
        long t0 = System.nanoTime();
        List<Event> decoded = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Decoded d = decoder.decodeProto(values.get(i), feeds.get(i).wireName(), 0, events + i);
            if (d.isOk()) {
                decoded.add(d.event());
            } else {
                rejected++;
            }
        }
        long t1 = System.nanoTime();
        for (Event e : decoded) {
            apply(e);
        }
        long t2 = System.nanoTime();
        events += values.size();
        decodeNanos += t1 - t0;
        rulesNanos += t2 - t1;
    }

    /** One event through the rules, as the keyed function does it for an event at the watermark. */
    public void apply(Event e) {
        String person = e.personId();
        if (person == null) {
            withoutPerson++;
            return;
        }
        personEvents++;
        PersonState s = states.getOrDefault(person, PersonState.initial());
        long now = e.time();
        List<ConditionState> conds = engine.advance(engine.apply(s.conditions(), e), now);
        Assessment a = engine.assess(conds, now);
        long fp = a.fingerprint(rules.version());
        PersonState next = s.withConditions(conds);
        if (!(s.seq() == 0 && conds.isEmpty()) && fp != s.fingerprint()) {
            String colour = a.colour().wireName();
            long since = colour.equals(s.colour()) && s.seq() > 0 ? s.sinceMs() : now;
            next = new PersonState(conds, s.seq() + 1, colour, since, fp);
            statusChanges++;
        }
        if (next.seq() == 0 && next.conditions().isEmpty()) {
            states.remove(person);
        } else {
            states.put(person, next);
        }
    }

    Outcome outcome() {
        return new Outcome(
                events,
                rejected,
                withoutPerson,
                personEvents,
                statusChanges,
                states.size(),
                (decodeNanos + rulesNanos) / 1e9,
                rulesNanos / 1e9);
    }

    /** Collects the city's events as Protobuf bytes, handing each full chunk to the loop. */
    private static final class Chunker implements CitySink {
        private final RulesCeiling loop;
        private final List<Feed> feeds = new ArrayList<>(CHUNK);
        private final List<byte[]> values = new ArrayList<>(CHUNK);

        Chunker(RulesCeiling loop) {
            this.loop = loop;
        }

        @Override
        public void accept(Feed feed, org.healthcode.ingest.proto.Event event) {
            feeds.add(feed);
            values.add(event.toByteArray());
            if (values.size() >= CHUNK) {
                flush();
            }
        }

        @Override
        public void acceptGarbage(Feed feed, String key) {
            // the ceiling runs a clean city (bad rate 0)
        }

        @Override
        public void flush() {
            if (!values.isEmpty()) {
                loop.process(feeds, values);
                feeds.clear();
                values.clear();
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
