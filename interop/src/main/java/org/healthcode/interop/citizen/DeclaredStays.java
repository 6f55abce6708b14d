package org.healthcode.interop.citizen;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.kafka.KafkaClientSettings;
import org.healthcode.ingest.proto.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The areas people declared they passed through in the last {@link #RECENT} (itinerary declarations, which serving
 * replicas write to the {@code declarations} topic), by person: what "your recent stays" can show beyond the stays
 * behind a risk-area condition of the person's status. Follows the topic from the records written {@link #RECENT}
 * ago (the job keeps a stay as long, then forgets it) and drops stops that ended longer ago than that. Held in
 * memory: only declared stops of two weeks, each an area code and two times.
 */
public final class DeclaredStays implements AutoCloseable {
    /** How far back stays are recent: the job's risk-area matcher keeps a stay as long after it ended. */
    public static final Duration RECENT = Duration.ofDays(14);

    private static final Logger LOG = LoggerFactory.getLogger(DeclaredStays.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String ITINERARY = "itinerary_declaration";

    /** One declared stop: the event id the job knows it by, the area, and when. */
    public record Stop(String stayId, String areaCode, long fromMs, long toMs) {}

    private final Map<String, Map<String, Stop>> byPerson = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean running = true;

    public DeclaredStays(String bootstrapServers, KafkaClientSettings kafka, String topic, Clock clock) {
        this.topic = topic;
        this.clock = clock;
        Properties p = kafka.properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "healthcode-serving-declared-stays");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "declared-stays");
        thread.setDaemon(true);
    }

    public DeclaredStays start() {
        thread.start();
        return this;
    }

    /** The person's declared stops that ended at most {@link #RECENT} before {@code atMs}. */
    public List<Stop> of(String personId, long atMs) {
        Map<String, Stop> stops = byPerson.get(personId);
        if (stops == null) {
            return List.of();
        }
        long from = atMs - RECENT.toMillis();
        List<Stop> out = new ArrayList<>();
        for (Stop s : stops.values()) {
            if (s.toMs() >= from && s.fromMs() <= atMs) {
                out.add(s);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Stop::fromMs).thenComparing(Stop::stayId));
        return out;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            while (partitions.isEmpty() && running) { // the topic is made with the first declaration
                Thread.sleep(1_000);
                partitions = partitions();
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> since = new HashMap<>();
            long from = clock.millis() - RECENT.toMillis();
            partitions.forEach(tp -> since.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since, REQUEST_TIMEOUT);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp o = offsets.get(tp);
                if (o == null) {
                    consumer.seekToEnd(List.of(tp));
                } else {
                    consumer.seek(tp, o.offset());
                }
            }
            long nextPrune = 0;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    keep(r);
                }
                if (clock.millis() >= nextPrune) {
                    prune(clock.millis());
                    nextPrune = clock.millis() + Duration.ofHours(1).toMillis();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("following {} stopped: declared stays are no longer updated", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> partitions() {
        return consumer.partitionsFor(topic, REQUEST_TIMEOUT).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
    }

    private void keep(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            Event e = Event.parseFrom(r.value());
            if (!ITINERARY.equals(e.getType())
                    || !e.hasItineraryDeclaration()
                    || e.getPersonId().isEmpty()) {
                return;
            }
            var d = e.getItineraryDeclaration();
            Stop s = new Stop(e.getEventId(), d.getAreaCode(), IsoTimes.parse(d.getFrom()), IsoTimes.parse(d.getTo()));
            byPerson.computeIfAbsent(e.getPersonId(), k -> new ConcurrentHashMap<>())
                    .put(s.stayId(), s);
        } catch (Exception bad) {
            // the serving process wrote only declarations the job's decoder accepts; anything else is not a stay
        }
    }

    private void prune(long nowMs) {
        long before = nowMs - RECENT.toMillis();
        byPerson.values().forEach(stops -> stops.values().removeIf(s -> s.toMs() < before));
        byPerson.values().removeIf(Map::isEmpty);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
