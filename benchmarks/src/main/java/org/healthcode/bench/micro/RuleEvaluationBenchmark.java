package org.healthcode.bench.micro;

import java.util.ArrayList;
import java.util.List;
import org.healthcode.bench.rules.RulesCeiling;
import org.healthcode.ingest.city.CityConfig;
import org.healthcode.ingest.city.CitySink;
import org.healthcode.ingest.city.SyntheticCity;
import org.healthcode.ingest.decode.Decoded;
import org.healthcode.ingest.decode.StandardEventDecoder;
import org.healthcode.ingest.events.Event;
import org.healthcode.ingest.events.Feed;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-event costs of the job's work on the synthetic city's event mix: decoding a feed record (Protobuf, validation,
 * pseudonymisation) and applying risk-model's rules to a person's conditions ({@link RulesCeiling#apply}).
 */
@State(Scope.Thread)
public class RuleEvaluationBenchmark {
    private final List<byte[]> values = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();
    private final List<Event> personEvents = new ArrayList<>();
    private StandardEventDecoder decoder;
    private RulesCeiling loop;
    private int nextValue;
    private int nextEvent;

    @Setup
    public void setUp() throws Exception {
        byte[] secret = new byte[RegionSecret.MIN_BYTES];
        decoder = new StandardEventDecoder(new Pseudonymiser(RegionSecret.ofBytes(secret)));
        loop = new RulesCeiling(secret);
        new SyntheticCity(CityConfig.of(2_000, 2, 42)).run(new CitySink() {
            @Override
            public void accept(Feed feed, org.healthcode.ingest.proto.Event event) {
                values.add(event.toByteArray());
                topics.add(feed.wireName());
            }

            @Override
            public void acceptGarbage(Feed feed, String key) {}

            @Override
            public void close() {}
        });
        for (int i = 0; i < values.size(); i++) {
            Decoded d = decoder.decodeProto(values.get(i), topics.get(i), 0, i);
            if (d.isOk() && d.event().personId() != null) {
                personEvents.add(d.event());
            }
        }
    }

    /** One feed record of the city's mix (mostly carrier pings) decoded and pseudonymised. */
    @Benchmark
    public Decoded decodeFeedRecord() {
        int i = nextValue;
        nextValue = i + 1 == values.size() ? 0 : i + 1;
        return decoder.decodeProto(values.get(i), topics.get(i), 0, i);
    }

    /** One person event through the rules against that person's current conditions. */
    @Benchmark
    public void applyRules() {
        int i = nextEvent;
        nextEvent = i + 1 == personEvents.size() ? 0 : i + 1;
        loop.apply(personEvents.get(i));
    }
}
