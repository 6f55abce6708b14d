package org.healthcode.bench.lookups;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.healthcode.ingest.proto.ConditionRecord;
import org.healthcode.ingest.proto.StatusRecord;
import org.healthcode.ingest.pseudonym.IdNumbers;
import org.healthcode.ingest.pseudonym.Pseudonymiser;
import org.healthcode.ingest.pseudonym.RegionSecret;

/**
 * Fills the {@code status} topic with one StatusRecord per synthetic person, shaped like the job's output: 95% green
 * without conditions, 4% yellow with one condition, 1% red with two. Person ids are real pseudonyms (HMAC of a made-up
 * identity with a fixed benchmark secret), so keys have the production length.
 */
public final class StatusFill {
    private static final long SINCE = 1_648_742_400_000L; // 2022-04-01T00:00+08:00, the synthetic city's start

    private static final LocalDate BORN = LocalDate.of(1940, 1, 1);

    private StatusFill() {}

    /** The person ids the fill uses, in order. */
    public static String[] personIds(int persons) {
        byte[] key = new byte[RegionSecret.MIN_BYTES];
        new SplittableRandom(7).nextBytes(key);
        Pseudonymiser p = new Pseudonymiser(RegionSecret.ofBytes(key));
        String[] ids = new String[persons];
        for (int i = 0; i < persons; i++) {
            ids[i] = p.personId(IdNumbers.of("440106", BORN.plusDays(i / 1000), i % 1000));
        }
        return ids;
    }

    /** The record of person {@code i}. */
    public static StatusRecord record(String personId, int i) {
        int bucket = i % 100;
        StatusRecord.Builder b = StatusRecord.newBuilder()
                .setPersonId(personId)
                .setRuleVersion("bench-1")
                .setSeq(1)
                .setSinceMs(SINCE)
                .setEffectiveMs(SINCE);
        if (bucket == 0) {
            b.setColour("red")
                    .addConditions(condition("close_contact", "red", "a negative test sampled after 2022-04-08T00:00Z"))
                    .addConditions(condition("fever_clinic", "yellow", "a negative test"));
        } else if (bucket < 5) {
            b.setColour("yellow").addConditions(condition("companion", "yellow", "two negative tests 24 h apart"));
        } else {
            b.setColour("green");
        }
        return b.build();
    }

    private static ConditionRecord condition(String reason, String colour, String endsWith) {
        return ConditionRecord.newBuilder()
                .setReason(reason)
                .setColour(colour)
                .addCause("bench-event-" + reason)
                .setStartMs(SINCE)
                .setPhaseEndMs(SINCE + 7 * 86_400_000L)
                .setEndsWith(endsWith)
                .build();
    }

    /**
     * Produces one record per id to {@code topic}; returns the bytes of values sent. {@code client} holds
     * {@code bootstrap.servers} and the cluster's client settings.
     */
    public static long produce(Properties client, String topic, String[] ids) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < ids.length; i++) {
                byte[] value = record(ids[i], i).toByteArray();
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, ids[i].getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return bytes;
    }
}
