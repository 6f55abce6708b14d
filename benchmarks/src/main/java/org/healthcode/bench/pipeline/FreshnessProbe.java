package org.healthcode.bench.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.contracts.wire.IsoTimes;
import org.healthcode.ingest.proto.Event;
import org.healthcode.ingest.proto.FeverClinicVisit;
import org.healthcode.ingest.proto.Ping;
import org.healthcode.ingest.proto.Vaccination;
import org.healthcode.ingest.pseudonym.IdNumbers;
import org.healthcode.ingest.pseudonym.Pseudonymiser;

/**
 * Freshness: from producing an event to seeing its effect in a status lookup. Each probe is a fever-clinic visit of a
 * new person (who has no status yet), stamped with the wall clock; the probe is done when {@code GET
 * /v1/status/<their pseudonym>} first answers 200.
 *
 * <p>A live region's feeds never stop, and the job's watermark only moves with later events; so while probing, a
 * background trickle of carrier pings and vaccinations (no colour effect) keeps event time moving as it would in
 * production. Trickle and probes are stamped on the city's clock continued: wall time plus {@code clockOffsetMs},
 * chosen by the caller so that the first stamp falls just after the city's last event. (Stamped with the wall clock
 * itself, the city's 2022 events were four years behind: the watermark jumped four years at once and every timer of
 * the city fired together, which at 100 k persons and more took longer than a probe waits.) The floor
 * of freshness is therefore the job's out-of-orderness bound plus the checkpoint interval (statuses are
 * transactional and become visible when the checkpoint that contains them completes).
 */
public final class FreshnessProbe implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Pseudonymiser pseudonymiser;
    private final String[] msisdns;
    private final String[] idNumbers;
    private final Thread trickle;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong trickled = new AtomicLong();
    private final HttpClient http = HttpClient.newHttpClient();
    private final long clockOffsetMs;

    public FreshnessProbe(
            Properties client,
            Pseudonymiser pseudonymiser,
            String[] msisdns,
            String[] idNumbers,
            int pingsPerSecond,
            long clockOffsetMs) {
        this.clockOffsetMs = clockOffsetMs;
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.pseudonymiser = pseudonymiser;
        this.msisdns = msisdns;
        this.idNumbers = idNumbers;
        this.trickle = new Thread(() -> trickle(pingsPerSecond), "ping-trickle");
        trickle.setDaemon(true);
        trickle.start();
    }

    private void trickle(int perSecond) {
        long n = 0;
        long start = System.nanoTime();
        while (running.get()) {
            long now = System.currentTimeMillis() + clockOffsetMs;
            int who = (int) (n % msisdns.length);
            Event.Builder e = Event.newBuilder()
                    .setEventId("bench-trickle-" + now + "-" + n)
                    .setTime(IsoTimes.format(now))
                    .setRegion("440100");
            String topic;
            if (n % 2 == 0) {
                topic = "carrier";
                e.setFeed("carrier")
                        .setType("ping")
                        .setMsisdn(msisdns[who])
                        .setPing(Ping.newBuilder().setLat(23.13).setLon(113.26));
            } else {
                // the health feed trickles too (a vaccination changes no colour), as it does in a live region
                topic = "health";
                e.setFeed("health")
                        .setType("vaccination")
                        .setIdNumber(idNumbers[who])
                        .setVaccination(Vaccination.newBuilder().setDose(3));
            }
            // keys spread the trickle over every partition of the topic, so no partition's watermark lags
            producer.send(new ProducerRecord<>(
                    topic,
                    Long.toString(n).getBytes(StandardCharsets.UTF_8),
                    e.build().toByteArray()));
            n++;
            trickled.set(n);
            long due = start + n * 1_000_000_000L / perSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    /**
     * Sends {@code probes} probes one after another, each waiting up to {@code timeoutMs} for its status; returns the
     * histogram of freshness in milliseconds (timed-out probes are recorded at the timeout).
     */
    public Histogram probe(URI serving, int probes, long timeoutMs, long pauseMs) throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 0; i < probes; i++) {
            String idNumber = IdNumbers.of("440106", LocalDate.of(2001, 1, 1).plusDays(i / 1000), i % 1000);
            String personId = pseudonymiser.personId(idNumber);
            long sent = System.currentTimeMillis();
            Event e = Event.newBuilder()
                    .setFeed("health")
                    .setType("fever_clinic_visit")
                    .setEventId("bench-probe-" + sent + "-" + i)
                    .setTime(IsoTimes.format(sent + clockOffsetMs))
                    .setRegion("440100")
                    .setIdNumber(idNumber)
                    .setFeverClinicVisit(FeverClinicVisit.newBuilder().setClinicId("bench-clinic"))
                    .build();
            producer.send(new ProducerRecord<>(
                            "health", e.getEventId().getBytes(StandardCharsets.UTF_8), e.toByteArray()))
                    .get();
            long sentNanos = System.nanoTime();
            HttpRequest req = HttpRequest.newBuilder(serving.resolve("/v1/status/" + personId))
                    .GET()
                    .build();
            long latencyMs = timeoutMs;
            while ((System.nanoTime() - sentNanos) / 1_000_000 < timeoutMs) {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    latencyMs = System.currentTimeMillis() - sent;
                    break;
                }
                Thread.sleep(5);
            }
            h.recordValue(Math.max(1, latencyMs));
            Thread.sleep(pauseMs);
        }
        return h;
    }

    /**
     * Where probes went when they were not seen: how many status records on the topic belong to probe persons, and how
     * many rejected records mention a probe event (read_committed, from the beginning, for a few seconds).
     */
    public String diagnose(Properties client, int probes) {
        java.util.Set<String> persons = new java.util.HashSet<>();
        for (int i = 0; i < probes; i++) {
            persons.add(pseudonymiser.personId(
                    IdNumbers.of("440106", LocalDate.of(2001, 1, 1).plusDays(i / 1000), i % 1000)));
        }
        Properties p = new Properties();
        p.putAll(client);
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        p.put("group.id", "bench-diagnose-" + System.nanoTime());
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        long statusHits = 0;
        long rejectedHits = 0;
        long statuses = 0;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            consumer.subscribe(java.util.List.of("status", "rejected"));
            long until = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() < until) {
                for (var rec : consumer.poll(java.time.Duration.ofMillis(200))) {
                    String key = rec.key() == null ? "" : new String(rec.key(), StandardCharsets.UTF_8);
                    if (rec.topic().equals("status")) {
                        statuses++;
                        if (persons.contains(key)) {
                            statusHits++;
                        }
                    } else if (new String(rec.value() == null ? new byte[0] : rec.value(), StandardCharsets.ISO_8859_1)
                                    .contains("bench-probe")
                            || key.contains("bench-probe")) {
                        rejectedHits++;
                    }
                }
            }
        }
        return "status records of probe persons on the topic: " + statusHits + " (of " + statuses
                + " statuses); rejected records of probes: " + rejectedHits;
    }

    public long trickled() {
        return trickled.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        trickle.join(5_000);
        producer.close();
    }
}
